// The system colour (from the error health) and the state of this page's live connection.
import { $ } from './dom.js';

const LABELS = { green: 'Operational', yellow: 'Degraded', red: 'Critical' };
const FROM_STATUS = { operational: 'green', degraded: 'yellow', critical: 'red' };
// the health rule: any critical error within the last 5 minutes makes the system critical
const CRITICAL_WINDOW_MS = 5 * 60 * 1000;

let lastCriticalAt = 0;
// the newest health answer shown: the hello frame carries the gateway's cached one, which may be older than the
// answer the page fetched itself, and an older answer must not paint over a newer one
let shownCheckTime = 0;

function paint(colour, title) {
    const pill = $('health');
    pill.dataset.health = colour;
    pill.className = `pill health-${colour}`;
    $('health-label').textContent = LABELS[colour] || 'Unknown (monitor unreachable)';
    pill.title = title;
}

export function showHealth(health) {
    if (Date.now() - lastCriticalAt < CRITICAL_WINDOW_MS) {
        // a critical frame seen live wins over an answer that may predate its storage
        paint('red', 'A critical error arrived within the last 5 minutes');
        return;
    }
    // nanosecond timestamps: Date.parse wants at most milliseconds
    const checkedAt = health && health.checkTime ? Date.parse(String(health.checkTime).replace(/(\.\d{3})\d+/, '$1')) : NaN;
    if (!Number.isNaN(checkedAt)) {
        if (checkedAt < shownCheckTime) {
            return;
        }
        shownCheckTime = checkedAt;
    }
    const colour = health ? (health.health || FROM_STATUS[health.status] || 'unknown') : 'unknown';
    paint(colour, health
        ? `Last 5 minutes: ${health.criticalErrors ?? 0} critical, ${health.errors ?? 0} errors`
            + (health.checkTime ? ` (checked ${health.checkTime})` : '')
        : 'The monitor did not answer');
}

/** A critical error turns the system red at once. */
export function markCritical() {
    lastCriticalAt = Date.now();
    paint('red', 'A critical error arrived within the last 5 minutes');
}

export function showConnection(state, label) {
    const pill = $('connection');
    pill.dataset.state = state;
    pill.className = `pill conn-${state}`;
    $('connection-label').textContent = label;
}
