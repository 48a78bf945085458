// Recent alerts from /api/alerts, kept up to date by alert frames; a silenced alert is marked "silenced" (the monitor
// records it and delivers it to no one while a silence matches it).
import { $, el, formatShortDateTime, parseDate } from './dom.js';
import { listOf } from './api.js';

const MAX_ROWS = 20;
const time = iso => parseDate(iso)?.getTime() ?? 0;
const when = alert => time(alert.timestamp || alert.last_seen);

export function isSilenced(alert) {
    return alert?.silenced === true || (Array.isArray(alert?.silenced_by) && alert.silenced_by.length > 0);
}

export class AlertsPanel {
    constructor() {
        this.alerts = new Map(); // alert_id -> alert
    }

    /**
     * The answer of GET /api/alerts, merged: the monitor's view of an alert (whether it is silenced, resolved) wins,
     * and alerts it does not list (the gateway's own, or newer than the answer) stay.
     */
    load(body) {
        for (const alert of listOf(body, 'alerts')) {
            if (!alert?.alert_id) continue;
            const known = this.alerts.get(alert.alert_id);
            if (known && when(known) > when(alert)) continue; // a frame told of a newer state meanwhile
            this.alerts.set(alert.alert_id, alert);
        }
        this.render();
    }

    /** The alert of an alert frame; one that does not say whether it is silenced keeps what the page knew. */
    onAlert(alert) {
        if (!alert?.alert_id) return;
        const known = this.alerts.get(alert.alert_id);
        const merged = { ...alert };
        if (known && merged.silenced === undefined && merged.silenced_by === undefined) {
            merged.silenced = known.silenced;
            merged.silenced_by = known.silenced_by;
        }
        this.alerts.set(alert.alert_id, merged);
        this.render();
        return merged;
    }

    render() {
        const sorted = [...this.alerts.values()].sort((a, b) => when(b) - when(a));
        for (const dropped of sorted.splice(MAX_ROWS)) this.alerts.delete(dropped.alert_id);
        $('alerts-body').replaceChildren(...sorted.map(row));
        $('alerts-empty').hidden = sorted.length > 0;
    }
}

function row(alert) {
    const severity = String(alert.severity ?? 'info').toLowerCase();
    const silenced = isSilenced(alert);
    const resolved = alert.resolved === true || Boolean(alert.resolved_at);
    const status = el('td', { class: 'nowrap status' },
        el('span', { class: `badge alert-${resolved ? 'resolved' : 'firing'}` }, resolved ? 'resolved' : 'firing'));
    if (silenced) {
        const by = Array.isArray(alert.silenced_by) ? alert.silenced_by.join(', ') : '';
        status.append(' ', el('span', { class: 'badge silenced', title: by ? `silenced by ${by}` : 'silenced' }, 'silenced'));
    }
    return el('tr', { class: silenced ? 'alert-silenced' : undefined, dataset: { alertId: alert.alert_id, silenced: String(silenced) } },
        el('td', { class: 'nowrap' }, formatShortDateTime(alert.timestamp || alert.last_seen)),
        el('td', {}, el('span', { class: `badge sev-${severity}` }, severity)),
        el('td', { class: 'message', title: alert.key ? `key: ${alert.key}` : undefined },
            el('span', { class: 'rule' }, String(alert.rule ?? '')), ' ', String(alert.message ?? '')),
        status);
}
