// The live error stream: newest first, at most MAX_KEPT rows, filter buttons per severity and
// category, folded frames shown with their count. Everything from the event is set as text.
import { $, el, formatTime, parseDate } from './dom.js';

export const MAX_KEPT = 100;
export const SEVERITIES = ['critical', 'error', 'warning'];
export const CATEGORIES = ['pattern', 'indicator', 'database', 'network', 'validation', 'performance',
    'configuration', 'unknown'];

/** How far apart the gateway's and the monitor's clocks may stamp one id-less event (both stamp it on receipt). */
const TWIN_WINDOW_MS = 5000;

/** How much older than a folded live row the errors folded into it may be (the time it waited in the gateway's queue). */
const FOLD_WINDOW_MS = 60000;

/**
 * Whether a stored error at {@code storedTime} can be one of those folded into a live row of {@code liveTime}: the row
 * shows the newest of them, so the stored one is at most FOLD_WINDOW_MS older, or TWIN_WINDOW_MS newer (clocks).
 */
function foldedInto(liveTime, storedTime) {
    return storedTime - liveTime <= TWIN_WINDOW_MS && liveTime - storedTime <= FOLD_WINDOW_MS;
}

/** An id a service generated for an event published without one. */
export function isGenerated(id) {
    return String(id).startsWith('gen-');
}

/** The same event as the user published it: every field the list shows, but the id and the time. */
export function sameEvent(a, b) {
    const fields = ['type', 'message', 'severity', 'category', 'symbol', 'component'];
    return !!a && !!b && fields.every(f => String(a[f] ?? '') === String(b[f] ?? ''));
}

export class ErrorStream {
    constructor(onSelect) {
        this.onSelect = onSelect;
        this.entries = []; // {id, time, row}, newest first
        this.ids = new Set();
        this.activeSeverities = new Set();
        this.activeCategories = new Set();
        this.body = $('stream-body');
        this.buildFilters('severity-filters', SEVERITIES, this.activeSeverities, 'Severity');
        this.buildFilters('category-filters', CATEGORIES, this.activeCategories, 'Category');
        this.updateSummary();
    }

    buildFilters(containerId, values, active, label) {
        const container = $(containerId);
        const all = el('button', { type: 'button', class: 'filter active', dataset: { filter: 'all' } }, 'All');
        const buttons = values.map(value => el('button', {
            type: 'button', class: `filter filter-${value}`, dataset: { filter: value }, 'aria-pressed': 'false'
        }, value));
        const refresh = () => {
            all.classList.toggle('active', active.size === 0);
            for (const button of buttons) {
                const on = active.has(button.dataset.filter);
                button.classList.toggle('active', on);
                button.setAttribute('aria-pressed', String(on));
            }
            this.applyFilters();
        };
        all.addEventListener('click', () => {
            active.clear();
            refresh();
        });
        for (const button of buttons) {
            button.addEventListener('click', () => {
                const value = button.dataset.filter;
                if (active.has(value)) active.delete(value); else active.add(value);
                refresh();
            });
        }
        container.append(el('span', { class: 'filter-label' }, label), all, ...buttons);
    }

    /**
     * Adds an error (from a frame, or from REST when {@code stored}); returns false when it was already listed.
     * An event published without an error_id gets a generated id ("gen-...") from each service that decodes it, so
     * the gateway's live frame and the monitor's stored copy name it differently: the two are one row, known by the
     * monitor's id, the one its detail answers to.
     */
    add(error, count = 1, stored = false) {
        if (!error) return false;
        const id = error.id || `${error.timestamp}-${Math.random()}`;
        if (this.ids.has(id)) return false;
        const time = parseDate(error.timestamp)?.getTime() ?? Date.now();
        if (stored) {
            // A live row folded from n identical errors shows the newest one's id: the n-1 before it, stored under ids
            // of their own, are in it already (a fill landing after a burst listed each of them again: 60 shown as 83).
            const folded = this.entries.find(entry => entry.uncounted > 0 && sameEvent(entry.error, error)
                && foldedInto(entry.time, time));
            if (folded) {
                folded.uncounted--;
                folded.aliases.push(id);
                this.ids.add(id);
                return false;
            }
        }
        if (isGenerated(id)) {
            // the other source's copy of it, not yet paired: two identical events published one after the other
            // are two rows, each paired with its own copy
            const twin = this.entries.find(entry => isGenerated(entry.id) && entry.stored !== stored && !entry.paired
                && sameEvent(entry.error, error) && Math.abs(entry.time - time) <= TWIN_WINDOW_MS);
            if (twin) {
                twin.paired = true;
                if (stored) this.rename(twin, id);
                return false;
            }
        }
        if (this.insertionIndex(time) >= MAX_KEPT) return false;
        let uncounted = stored ? 0 : count - 1;
        const aliases = [];
        if (uncounted > 0) {
            // The other order: a fill listed some of a burst's errors one by one before the burst's folded frame
            // came. The folded row stands for them: their rows go, their ids stay known.
            const listed = this.entries.filter(e => e.stored && sameEvent(e.error, error) && foldedInto(time, e.time));
            for (const entry of listed.slice(0, uncounted)) {
                this.remove(entry);
                aliases.push(entry.id);
            }
            uncounted -= Math.min(uncounted, listed.length);
        }
        const row = this.renderRow(id, error, count);
        const index = this.insertionIndex(time);
        const before = this.entries[index];
        this.body.insertBefore(row, before ? before.row : null);
        this.entries.splice(index, 0, { id, time, row, error, stored, uncounted, aliases });
        this.ids.add(id);
        while (this.entries.length > MAX_KEPT) {
            const dropped = this.entries.pop();
            dropped.row.remove();
            this.ids.delete(dropped.id);
            dropped.aliases.forEach(alias => this.ids.delete(alias));
        }
        this.updateSummary();
        return true;
    }

    renderRow(id, error, count) {
        const severity = String(error.severity || 'unknown').toLowerCase();
        const category = String(error.category || 'unknown').toLowerCase();
        const badge = el('span', { class: `badge sev-${severity}` }, severity);
        const severityCell = el('td', {}, badge);
        if (count > 1) {
            severityCell.append(el('span', { class: 'fold-count', title: `${count} identical errors folded into one` },
                `×${count}`));
        }
        if (error.ignored === true) {
            severityCell.append(el('span', { class: 'badge ignored-mark', title: 'its group is ignored: stored, alerts nobody' },
                'ignored'));
        }
        const message = error.message ?? '';
        const muted = error.ignored === true ? ' row-ignored' : '';
        const row = el('tr', { class: `stream-row row-${severity}${muted}`, tabindex: '0', dataset: { id, severity, category } },
            el('td', { class: 'nowrap', title: error.timestamp || '' }, formatTime(error.timestamp)),
            severityCell,
            el('td', {}, category),
            el('td', {}, error.symbol || '–'),
            el('td', {}, error.component || '–'),
            // clamped to a few lines: one 60,000-character message filled the list; the detail shows it whole
            el('td', { class: 'message', title: String(message) }, el('div', { class: 'message-text' },
                error.type ? el('span', { class: 'err-type' }, `${error.type}: `) : null, String(message))));
        // the row's id, not this one: a live row is renamed once the monitor's copy of an id-less event is known
        row.addEventListener('click', () => this.onSelect(row.dataset.id, error));
        row.addEventListener('keydown', event => {
            if (event.key === 'Enter') this.onSelect(row.dataset.id, error);
        });
        row.hidden = !this.matches(row);
        return row;
    }

    matches(row) {
        return (this.activeSeverities.size === 0 || this.activeSeverities.has(row.dataset.severity))
            && (this.activeCategories.size === 0 || this.activeCategories.has(row.dataset.category));
    }

    applyFilters() {
        for (const entry of this.entries) entry.row.hidden = !this.matches(entry.row);
        this.updateSummary();
    }

    updateSummary() {
        const shown = this.entries.filter(entry => !entry.row.hidden).length;
        $('stream-size').textContent = this.entries.length === shown
            ? `${shown} kept (max ${MAX_KEPT})`
            : `${shown} of ${this.entries.length} shown`;
        $('stream-empty').hidden = this.entries.length > 0;
    }

    showDropped(total) {
        const notice = $('stream-dropped');
        notice.hidden = false;
        notice.textContent = `${total} frames dropped by the server (this page was too slow)`;
    }

    /** Where a row of this time goes: after every newer or equally old one. */
    insertionIndex(time) {
        const index = this.entries.findIndex(entry => entry.time < time);
        return index === -1 ? this.entries.length : index;
    }

    /** Takes a row off the list; its id (and aliases) stay known, so a copy of it is not listed again. */
    remove(entry) {
        this.entries.splice(this.entries.indexOf(entry), 1);
        entry.row.remove();
    }

    rename(entry, id) {
        this.ids.delete(entry.id);
        entry.id = id;
        entry.row.dataset.id = id;
        this.ids.add(id);
    }

    /** The newest timestamp listed, to ask the REST API for what came after it. */
    newestTimestamp() {
        const newest = this.entries[0];
        return newest ? new Date(newest.time).toISOString() : null;
    }
}
