// "Jobs with errors & not updating": a sortable, paginated table of /api/jobs?problems=true
// with an Issue badge per job, and the freshness summary of /api/freshness above it.
import { $, el, formatShortDateTime, setText } from './dom.js';
import { listOf } from './api.js';

const PAGE_SIZE = 10;
const FAILED = new Set(['failed', 'failure', 'error']);
const ISSUE_ORDER = { error: 0, stale: 1, ok: 2 };

export function issueOf(job) {
    if (FAILED.has(String(job.status || '').toLowerCase())) {
        return { kind: 'error', label: 'Error', tooltip: job.error_message || 'last execution failed' };
    }
    const hours = job.hours_since_update;
    if (job.is_stale || hours === null || hours === undefined) {
        return {
            kind: 'stale', label: 'Stale',
            tooltip: hours === null || hours === undefined ? 'never updated' : `${hours} hours since last update`
        };
    }
    return { kind: 'ok', label: 'OK', tooltip: `${hours} hours since last update` };
}

export class ProblemJobs {
    constructor() {
        this.jobs = [];
        this.page = 0;
        this.sortKey = 'issue';
        this.ascending = true;
        this.search = '';
        $('jobs-search').addEventListener('input', event => {
            this.search = event.target.value.trim().toLowerCase();
            this.page = 0;
            this.render();
        });
        for (const th of document.querySelectorAll('#jobs-table th[data-sort]')) {
            const sort = () => this.sortBy(th.dataset.sort);
            th.addEventListener('click', sort);
            th.addEventListener('keydown', event => {
                if (event.key === 'Enter') sort();
            });
        }
        $('jobs-prev').addEventListener('click', () => this.goTo(this.page - 1));
        $('jobs-next').addEventListener('click', () => this.goTo(this.page + 1));
    }

    load(body) {
        this.jobs = listOf(body, 'jobs', 'items').map(job => ({ ...job, issue: issueOf(job) }));
        this.render();
    }

    loadFreshness(freshness) {
        const summary = (freshness && freshness.summary) || {};
        setText('fresh-count', summary.fresh_count ?? 0);
        setText('aging-count', summary.aging_count ?? 0);
        setText('stale-count', summary.stale_count ?? 0);
        setText('missing-count', summary.missing_count ?? 0);
        setText('monitored-count', summary.total_monitored ?? 0);
    }

    sortBy(key) {
        if (this.sortKey === key) this.ascending = !this.ascending;
        else {
            this.sortKey = key;
            this.ascending = true;
        }
        this.page = 0;
        this.render();
    }

    goTo(page) {
        const pages = Math.max(1, Math.ceil(this.visible().length / PAGE_SIZE));
        this.page = Math.min(Math.max(0, page), pages - 1);
        this.render();
    }

    visible() {
        return this.search ? this.jobs.filter(job => String(job.name ?? '').toLowerCase().includes(this.search))
            : this.jobs;
    }

    sorted() {
        const key = this.sortKey;
        const value = job => {
            if (key === 'issue') return ISSUE_ORDER[job.issue.kind];
            if (key === 'last_updated') return job.last_updated ? Date.parse(job.last_updated) : -Infinity;
            if (key === 'hours_since_update') return job.hours_since_update ?? Infinity;
            return String(job[key] ?? '').toLowerCase();
        };
        const direction = this.ascending ? 1 : -1;
        return [...this.visible()].sort((a, b) => {
            const x = value(a);
            const y = value(b);
            if (x < y) return -direction;
            if (x > y) return direction;
            return String(a.name).localeCompare(String(b.name));
        });
    }

    render() {
        const visible = this.visible().length;
        const pages = Math.max(1, Math.ceil(visible / PAGE_SIZE));
        this.page = Math.min(this.page, pages - 1);
        const rows = this.sorted().slice(this.page * PAGE_SIZE, (this.page + 1) * PAGE_SIZE).map(job =>
            el('tr', { dataset: { job: job.name ?? '', issue: job.issue.kind } },
                el('td', { class: 'job-name' }, job.name ?? '–'),
                el('td', {}, job.status ?? '–'),
                el('td', { class: 'nowrap' }, job.last_updated ? formatShortDateTime(job.last_updated) : 'never'),
                el('td', { class: 'num' }, job.hours_since_update ?? '–'),
                el('td', {}, el('span', { class: `badge issue-${job.issue.kind}`, title: job.issue.tooltip },
                    job.issue.label))));
        $('jobs-body').replaceChildren(...rows);
        $('jobs-empty').hidden = visible > 0;
        $('jobs-page').textContent = `page ${this.page + 1} of ${pages} · ${visible} jobs`;
        $('jobs-prev').disabled = this.page === 0;
        $('jobs-next').disabled = this.page >= pages - 1;
        for (const th of document.querySelectorAll('#jobs-table th[data-sort]')) {
            const active = th.dataset.sort === this.sortKey;
            th.classList.toggle('sorted', active);
            th.setAttribute('aria-sort', active ? (this.ascending ? 'ascending' : 'descending') : 'none');
        }
    }
}
