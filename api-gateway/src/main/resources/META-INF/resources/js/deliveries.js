// The Notifications panel: recent deliveries to receivers from /api/notifications, kept up to date by delivery frames
// (one row per notification, its newest state: retrying, then sent or failed).
import { $, el, formatShortDateTime, parseDate } from './dom.js';
import { listOf } from './api.js';

export const MAX_ROWS = 50;
const STATUS_LABELS = { sent: 'sent', retrying: 'retrying', failed: 'failed', silenced: 'silenced' };

const time = iso => parseDate(iso)?.getTime() ?? 0;
const latest = n => time(n.updated_at || n.created_at);

export class DeliveriesPanel {
    constructor() {
        this.rows = new Map(); // notification_id -> notification
    }

    /** The answer of GET /api/notifications: merged, so that a newer state that came live is kept. */
    load(body) {
        for (const notification of listOf(body, 'notifications')) this.put(notification);
        this.render();
    }

    /** The notification of a delivery frame. */
    onDelivery(notification) {
        if (this.put(notification)) this.render();
    }

    put(notification) {
        const id = notification?.notification_id;
        if (typeof id !== 'string' || !id) return false;
        const known = this.rows.get(id);
        if (known && isOlder(notification, known)) return false;
        this.rows.set(id, notification);
        return true;
    }

    render() {
        // newest activity first, like the monitor's answer: a notification that is retried again comes back on top
        const sorted = [...this.rows.values()].sort((a, b) => latest(b) - latest(a));
        for (const dropped of sorted.splice(MAX_ROWS)) this.rows.delete(dropped.notification_id);
        $('deliveries-body').replaceChildren(...sorted.map(row));
        $('deliveries-empty').hidden = sorted.length > 0;
        const failed = sorted.filter(n => n.status === 'failed').length;
        $('deliveries-failed').textContent = failed > 0 ? `${failed} failed` : '';
    }
}

/** Whether a is an older state of the same notification than b (ledger rows only move forward). */
function isOlder(a, b) {
    const byUpdate = time(a.updated_at) - time(b.updated_at);
    if (byUpdate !== 0) return byUpdate < 0;
    return (Number(a.attempts) || 0) < (Number(b.attempts) || 0);
}

function row(notification) {
    const status = STATUS_LABELS[notification.status] ?? 'unknown';
    const alerts = Array.isArray(notification.alerts) ? notification.alerts : [];
    const rules = [...new Set(alerts.map(a => a?.rule).filter(Boolean))].join(', ');
    const messages = alerts.map(a => a?.message).filter(Boolean).join('\n');
    const kind = String(notification.kind ?? '–');
    return el('tr', { dataset: { id: notification.notification_id, status } },
        el('td', { class: 'nowrap' }, formatShortDateTime(notification.updated_at || notification.created_at)),
        el('td', { class: 'receiver' }, String(notification.receiver ?? '–')),
        el('td', {}, el('span', { class: `badge kind-${kind === 'resolved' || kind === 'test' ? kind : 'firing'}` }, kind)),
        el('td', {}, el('span', { class: `badge notify-status notify-${status}` }, String(notification.status ?? 'unknown'))),
        el('td', { class: 'num attempts' }, notification.attempts ?? '–'),
        el('td', { class: 'alerts-cell', title: messages }, rules ? `${rules} (${alerts.length})` : String(alerts.length)),
        el('td', { class: 'last-error' }, notification.last_error ? String(notification.last_error) : ''));
}
