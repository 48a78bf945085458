// Silences and maintenance windows: loaded from /api/silences (active and pending), then kept up to date by
// silence frames. Admins (roles from /api/me) get a form to create one and an Expire button per silence; the
// gateway enforces the role anyway and records the logged-in user as created_by.
import { $, el, formatShortDateTime, parseDate } from './dom.js';
import { deleteJson, listOf, postJson } from './api.js';
import { toast } from './notifications.js';

const UNITS = { d: 86400000, h: 3600000, m: 60000 };

/** "2h", "30m", "1d 12h" in milliseconds, or null. */
export function parseSpan(text) {
    const compact = String(text ?? '').trim().toLowerCase().replace(/\s+/g, '');
    if (!/^(\d+[dhm])+$/.test(compact)) return null;
    let total = 0;
    for (const [, n, unit] of compact.matchAll(/(\d+)([dhm])/g)) total += Number(n) * UNITS[unit];
    return total > 0 ? total : null;
}

/**
 * "rule=job_stale, symbol=~AAPL|MSFT" as matchers: label=value is an equality, label=~value a regex. Pairs are
 * separated by commas or new lines; a comma inside a value stays there unless a new label= follows it.
 */
export function parseMatchers(text) {
    const pairs = String(text ?? '').split(/\n|,\s*(?=[A-Za-z_][\w.-]*\s*=)/).map(p => p.trim()).filter(Boolean);
    return pairs.map(pair => {
        const at = pair.indexOf('=');
        if (at <= 0) throw new Error(`"${pair}" is not label=value`);
        const label = pair.slice(0, at).trim();
        const regex = pair[at + 1] === '~';
        const value = pair.slice(at + (regex ? 2 : 1)).trim();
        return { label, value, regex };
    });
}

/** A window length as people write it: "PT2H" is 2h, "PT1H30M" 1h 30m; anything else as it is. */
export function formatSpan(text) {
    const iso = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(String(text ?? '').trim());
    if (!iso || iso.slice(1).every(part => part === undefined)) return String(text ?? '?');
    const parts = [];
    for (const [value, unit] of [[iso[1], 'd'], [iso[2], 'h'], [iso[3], 'm'], [iso[4], 's']]) {
        if (value !== undefined && Number(value) > 0) parts.push(`${Number(value)}${unit}`);
    }
    return parts.length > 0 ? parts.join(' ') : '0s';
}

export function formatMatcher(m) {
    return `${m?.label ?? '?'}${m?.regex ? '=~' : '='}${m?.value ?? ''}`;
}

export class SilencesPanel {
    /** @param onChange called after a silence came or went (the alerts it silences changed) */
    constructor(onChange) {
        this.onChange = onChange ?? (() => {});
        this.silences = new Map(); // id -> silence
        this.changedAt = new Map(); // id -> when a frame or an action of this page last changed it
        this.gone = new Map(); // id -> when it was expired by a frame or by this page
        this.isAdmin = false;
        this.form = $('silence-form');
        this.form.addEventListener('submit', event => {
            event.preventDefault();
            this.create();
        });
        // silences that run out are not announced: drop them once their end has passed
        setInterval(() => this.pruneEnded(), 15000);
    }

    enableAdmin(isAdmin) {
        this.isAdmin = isAdmin;
        this.form.hidden = !isAdmin;
        this.render();
    }

    /**
     * The answer of GET /api/silences, asked at requestedAt: what changed live since then wins over it (a silence
     * created or expired while the answer was on its way is neither lost nor brought back).
     */
    load(body, requestedAt = 0) {
        const next = new Map();
        for (const silence of listOf(body, 'silences')) {
            if (!silence?.id || silence.state === 'expired') continue;
            if ((this.gone.get(silence.id) ?? -1) >= requestedAt) continue;
            next.set(silence.id, silence);
        }
        for (const [id, silence] of this.silences) {
            if (!next.has(id) && (this.changedAt.get(id) ?? -1) >= requestedAt) next.set(id, silence);
        }
        this.silences = next;
        this.render();
    }

    /** A silence frame: {"type":"silence","action":"created|expired","silence":{...}}. */
    onFrame(frame) {
        const silence = frame?.silence;
        if (!silence || typeof silence.id !== 'string') return;
        if (frame.action === 'expired' || silence.state === 'expired') {
            this.remove(silence.id);
        } else {
            this.put(silence);
        }
        this.onChange();
    }

    put(silence) {
        this.gone.delete(silence.id);
        this.changedAt.set(silence.id, Date.now());
        this.silences.set(silence.id, silence);
        this.render();
    }

    remove(id) {
        this.gone.set(id, Date.now());
        this.changedAt.delete(id);
        this.silences.delete(id);
        this.render();
    }

    pruneEnded() {
        const now = Date.now();
        let pruned = false;
        for (const [id, silence] of this.silences) {
            const end = parseDate(silence.ends_at);
            if (end && end.getTime() < now) {
                this.silences.delete(id);
                pruned = true;
            }
        }
        if (pruned) this.render();
    }

    sorted() {
        const created = s => parseDate(s.created_at || s.starts_at)?.getTime() ?? 0;
        return [...this.silences.values()].sort((a, b) => created(b) - created(a));
    }

    render() {
        const rows = this.sorted().map(silence => this.row(silence));
        $('silences-body').replaceChildren(...rows);
        $('silences-empty').hidden = rows.length > 0;
    }

    row(silence) {
        const state = String(silence.state ?? 'active');
        const matchers = Array.isArray(silence.matchers) ? silence.matchers : [];
        const recurring = Boolean(silence.cron);
        const until = el('td', { class: 'until' },
            el('span', { class: 'nowrap' }, silence.ends_at ? formatShortDateTime(silence.ends_at) : (recurring ? 'no end' : '–')));
        if (silence.end_on_resolve) until.append(el('div', { class: 'muted small' }, 'or when resolved'));
        const window = recurring
            ? el('span', { class: 'window', title: 'maintenance window: Quartz cron and length of each window' },
                el('span', { class: 'mono' }, String(silence.cron)), ` for ${formatSpan(silence.duration)}`)
            : '–';
        const actions = el('td', { class: 'nowrap' });
        if (this.isAdmin) {
            actions.append(el('button', {
                type: 'button', class: 'btn btn-danger btn-small silence-expire', 'aria-label': 'Expire this silence',
                onclick: event => this.expire(silence.id, event.currentTarget)
            }, 'Expire'));
        }
        return el('tr', { dataset: { id: silence.id, state } },
            el('td', { class: 'matchers' }, ...matchers.map(m => el('span', { class: 'matcher mono' }, formatMatcher(m)))),
            el('td', {}, el('span', { class: `badge silence-${state}` }, state)),
            until,
            el('td', { class: 'window-cell' }, window),
            el('td', {}, el('div', { class: 'comment' }, String(silence.comment ?? '')),
                el('div', { class: 'muted small' }, 'by ', el('span', { class: 'created-by' }, String(silence.created_by ?? '')))),
            actions);
    }

    /** The silence the form describes, or throws with the reason to show. */
    fromForm() {
        const matchers = parseMatchers($('silence-matchers').value);
        if (matchers.length === 0) throw new Error('give at least one matcher, like rule=job_stale');
        const comment = $('silence-comment').value.trim();
        if (!comment) throw new Error('say why (comment)');
        const silence = { matchers, comment };
        const cron = $('silence-cron').value.trim();
        const duration = $('silence-duration').value.trim();
        const endsIn = $('silence-ends-in').value.trim();
        const endsAt = $('silence-ends-at').value;
        if (endsAt) {
            const end = new Date(endsAt);
            if (Number.isNaN(end.getTime())) throw new Error('ends at is not a date');
            silence.ends_at = end.toISOString();
        } else if (endsIn) {
            const span = parseSpan(endsIn);
            if (span === null) throw new Error('ends in: a length like 30m, 2h or 1d');
            silence.ends_at = new Date(Date.now() + span).toISOString();
        }
        if (cron) {
            if (!duration) throw new Error('a maintenance window needs its length (duration), like 2h');
            silence.cron = cron;
            silence.duration = duration;
        } else if (duration) {
            throw new Error('a duration is the length of each window: give a cron too, or use ends in');
        } else if (!silence.ends_at) {
            throw new Error('say when it ends (ends in or ends at), or give a cron window');
        }
        if ($('silence-end-on-resolve').checked) silence.end_on_resolve = true;
        return silence;
    }

    async create() {
        const error = $('silence-error');
        const submit = $('silence-submit');
        error.textContent = '';
        let silence;
        try {
            silence = this.fromForm();
        } catch (e) {
            error.textContent = e.message;
            return;
        }
        submit.disabled = true;
        try {
            const created = await postJson('api/silences', silence);
            if (created?.id && created.state !== 'expired') this.put(created);
            this.form.reset();
            toast('info', 'Silence created', matchersText(created?.matchers ?? silence.matchers));
            this.onChange();
        } catch (e) {
            error.textContent = e.message;
        } finally {
            submit.disabled = false;
        }
    }

    async expire(id, button) {
        if (button) button.disabled = true;
        try {
            await deleteJson(`api/silences/${encodeURIComponent(id)}`);
            this.remove(id);
            this.onChange();
        } catch (e) {
            if (e.status === 404) {
                this.remove(id); // already gone
            } else {
                toast('error', 'Silence not expired', e.message);
                if (button) button.disabled = false;
            }
        }
    }
}

function matchersText(matchers) {
    return (Array.isArray(matchers) ? matchers : []).map(formatMatcher).join(', ');
}
