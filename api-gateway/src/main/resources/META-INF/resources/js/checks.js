// The checks of /api/checks: expected jobs with their state, when the next run is due, the last signal, and the
// durations of their last runs as a sparkline; admins pause and resume them (the gateway enforces the role anyway).
import { $, el, formatShortDateTime } from './dom.js';
import { listOf, postJson } from './api.js';
import { toast } from './notifications.js';

const SVG = 'http://www.w3.org/2000/svg';

export class ChecksPanel {
    constructor() {
        this.checks = [];
        this.isAdmin = false;
        this.pending = new Set();
    }

    enableAdmin(isAdmin) {
        this.isAdmin = isAdmin;
        this.render();
    }

    load(body) {
        this.checks = listOf(body, 'checks', 'items');
        this.render();
    }

    async toggle(check) {
        const action = check.paused ? 'resume' : 'pause';
        this.pending.add(check.name);
        this.render();
        try {
            const changed = await postJson(`api/checks/${encodeURIComponent(check.name)}/${action}`);
            const at = this.checks.findIndex(c => c.name === check.name);
            if (at >= 0 && changed) this.checks[at] = changed;
        } catch (e) {
            toast('error', `Could not ${action} ${check.name}`, e.message);
        } finally {
            this.pending.delete(check.name);
            this.render();
        }
    }

    expects(check) {
        if (check.schedule) return `${check.schedule} (${check.timezone ?? 'UTC'})`;
        return check.period_seconds ? `every ${period(check.period_seconds)}` : '–';
    }

    render() {
        const rows = this.checks.map(check => {
            const state = String(check.state ?? 'new');
            const name = String(check.name ?? '');
            return el('tr', { class: 'check-row', dataset: { check: name, state } },
                el('td', {}, name),
                el('td', {}, el('span', { class: `badge check-${state}`, title: check.reason ?? '' }, state)),
                el('td', { class: 'mono' }, this.expects(check)),
                el('td', { class: 'nowrap' }, formatShortDateTime(check.next_expected_at)),
                el('td', { class: 'nowrap' }, formatShortDateTime(check.last_ping_at)),
                el('td', {}, sparkline(check.recent_durations_ms)),
                el('td', { class: 'nowrap' }, this.isAdmin ? el('button', {
                    type: 'button', class: 'btn btn-small', disabled: this.pending.has(name),
                    dataset: { action: check.paused ? 'resume' : 'pause' }, onclick: () => this.toggle(check)
                }, check.paused ? 'Resume' : 'Pause') : null));
        });
        $('checks-body').replaceChildren(...rows);
        $('checks-empty').hidden = this.checks.length > 0;
    }
}

function period(seconds) {
    if (seconds % 86400 === 0) return `${seconds / 86400} d`;
    if (seconds % 3600 === 0) return `${seconds / 3600} h`;
    if (seconds % 60 === 0) return `${seconds / 60} min`;
    return `${seconds} s`;
}

/** The last durations (ms, oldest first) as a line; its title says the latest and the longest. */
function sparkline(durations) {
    const values = Array.isArray(durations) ? durations.map(Number).filter(Number.isFinite) : [];
    if (values.length === 0) return el('span', { class: 'muted' }, '–');
    const width = 100, height = 20, max = Math.max(...values, 1), pad = 3;
    const step = values.length > 1 ? (width - 2 * pad) / (values.length - 1) : 0;
    const points = values.map((v, i) => `${(pad + i * step).toFixed(1)},${(height - pad - (v / max) * (height - 2 * pad)).toFixed(1)}`);
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('class', 'sparkline');
    svg.setAttribute('width', String(width));
    svg.setAttribute('height', String(height));
    svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    svg.dataset.points = String(values.length);
    const line = document.createElementNS(SVG, 'polyline');
    line.setAttribute('points', points.join(' '));
    svg.append(line);
    // the latest run as a dot: it is also what shows when there is only one run (a line needs two points)
    const [x, y] = points[points.length - 1].split(',');
    const dot = document.createElementNS(SVG, 'circle');
    dot.setAttribute('cx', x);
    dot.setAttribute('cy', y);
    dot.setAttribute('r', '2.5');
    svg.append(dot);
    const title = document.createElementNS(SVG, 'title');
    title.textContent = `last ${(values[values.length - 1] / 1000).toFixed(1)} s, longest ${(max / 1000).toFixed(1)} s, ${values.length} runs`;
    svg.append(title);
    return svg;
}
