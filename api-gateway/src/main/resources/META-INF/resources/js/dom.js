// Tiny DOM helpers. Event data is untrusted: it only ever reaches the page as text
// (textContent / title attributes), never as HTML.

/**
 * Text as the page shows it: bidirectional controls (U+202A-U+202E, U+2066-U+2069) written out as \u202e, as the
 * services' logs write them (LogText). Left raw, one in an error message reverses what follows it in its cell, so
 * a row could show another symbol or number than the event holds.
 */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;

export function shown(value) {
    return String(value).replace(BIDI_CONTROLS, c => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

export function $(id) {
    return document.getElementById(id);
}

/** Creates an element; children are nodes or strings (strings become text nodes). */
export function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
        if (value === undefined || value === null || value === false) continue;
        if (key === 'class') node.className = value;
        else if (key === 'text') node.textContent = shown(value);
        else if (key === 'dataset') Object.assign(node.dataset, value);
        else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
        else node.setAttribute(key, value === true ? '' : key === 'title' ? shown(value) : String(value));
    }
    for (const child of children) {
        if (child === undefined || child === null) continue;
        node.append(child instanceof Node ? child : document.createTextNode(shown(child)));
    }
    return node;
}

export function setText(id, value) {
    const node = $(id);
    if (node) node.textContent = value === undefined || value === null ? '–' : shown(value);
}

export function clear(node) {
    node.replaceChildren();
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
    month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit'
});

const shortDateTimeFormat = new Intl.DateTimeFormat(undefined, {
    month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit'
});

/** Date and time to the minute, for tables where seconds would only widen the column. */
export function formatShortDateTime(iso) {
    const date = parseDate(iso);
    return date ? shortDateTimeFormat.format(date) : '–';
}

export function formatTime(iso) {
    const date = parseDate(iso);
    return date ? timeFormat.format(date) : '–';
}

export function formatDateTime(iso) {
    const date = parseDate(iso);
    return date ? dateTimeFormat.format(date) : '–';
}

export function parseDate(iso) {
    if (!iso) return null;
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? null : date;
}

export function formatDuration(seconds) {
    if (seconds === undefined || seconds === null || Number.isNaN(seconds)) return '–';
    const s = Math.max(0, Math.round(seconds));
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const rest = s % 60;
    if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
    if (m > 0) return `${m}m ${String(rest).padStart(2, '0')}s`;
    return `${rest}s`;
}

export function formatNumber(n) {
    return typeof n === 'number' ? n.toLocaleString() : '–';
}

/** Runs fn at most once per waitMs, trailing call included, so bursts of events cost one request. */
export function throttle(fn, waitMs) {
    let timer = null;
    let pending = false;
    return () => {
        if (timer) {
            pending = true;
            return;
        }
        fn();
        timer = setTimeout(function release() {
            if (pending) {
                pending = false;
                fn();
                timer = setTimeout(release, waitMs);
            } else {
                timer = null;
            }
        }, waitMs);
    };
}
