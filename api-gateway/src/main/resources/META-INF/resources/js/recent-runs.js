// Recent batch runs (/api/executions) with their success rate.
import { $, el, formatShortDateTime, formatDuration } from './dom.js';
import { listOf } from './api.js';

function jobsSucceeded(run) {
    if (typeof run.successful_symbols === 'number') return run.successful_symbols;
    if (typeof run.total_symbols === 'number' && typeof run.failed_symbols === 'number') {
        return run.total_symbols - run.failed_symbols;
    }
    return null;
}

export function renderRuns(body) {
    const runs = listOf(body, 'executions', 'runs');
    let total = 0;
    let succeeded = 0;
    const rows = runs.map(run => {
        const ok = jobsSucceeded(run);
        const jobs = run.total_symbols ?? null;
        if (typeof jobs === 'number' && ok !== null) {
            total += jobs;
            succeeded += ok;
        }
        const rate = jobs ? `${Math.round((ok / jobs) * 100)} %` : '–';
        const status = String(run.status ?? '–');
        return el('tr', { dataset: { status } },
            el('td', { class: 'nowrap' }, formatShortDateTime(run.started_at)),
            el('td', {}, el('span', { class: `badge run-${status}`, title: run.error_message || '' }, status)),
            el('td', { class: 'num' }, jobs ?? '–'),
            el('td', { class: 'num' }, run.failed_symbols ?? '–'),
            el('td', { class: 'nowrap' }, formatDuration(run.duration_seconds)),
            el('td', { class: 'num' }, rate));
    });
    $('runs-body').replaceChildren(...rows);
    $('runs-empty').hidden = runs.length > 0;
    $('runs-success-rate').textContent = total > 0
        ? `· ${Math.round((succeeded / total) * 100)} % of ${total} jobs succeeded over ${runs.length} runs`
        : '';
}
