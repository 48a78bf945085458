// The system colour (from the error health) and the state of this page's live connection.
import { $ } from './dom.js';

const LABELS = { green: 'Operational', yellow: 'Degraded', red: 'Critical' };
const FROM_STATUS = { operational: 'green', degraded: 'yellow', critical: 'red' };

export function showHealth(health) {
    const pill = $('health');
    const colour = health ? (health.health || FROM_STATUS[health.status] || 'unknown') : 'unknown';
    pill.dataset.health = colour;
    pill.className = `pill health-${colour}`;
    $('health-label').textContent = LABELS[colour] || 'Unknown (monitor unreachable)';
    if (health) {
        pill.title = `Last 5 minutes: ${health.criticalErrors ?? 0} critical, ${health.errors ?? 0} errors`
            + (health.checkTime ? ` (checked ${health.checkTime})` : '');
    }
}

/** A critical error turns the system red at once: the health rule says any critical in 5 minutes. */
export function markCritical() {
    const pill = $('health');
    pill.dataset.health = 'red';
    pill.className = 'pill health-red';
    $('health-label').textContent = LABELS.red;
    pill.title = 'A critical error arrived within the last 5 minutes';
}

export function showConnection(state, label) {
    const pill = $('connection');
    pill.dataset.state = state;
    pill.className = `pill conn-${state}`;
    $('connection-label').textContent = label;
}
