// One error group in depth (/api/errors/groups/{fp}/detail and .../activity) in a modal dialog: occurrences per
// hour as bars, the latest errors with their tracebacks, the symbols and jobs it hits most, and who did what to it.
import { $, el, formatShortDateTime, setText } from './dom.js';
import { getJson } from './api.js';

export class GroupDetail {
    constructor() {
        this.dialog = $('group-detail');
        $('group-detail-close').addEventListener('click', () => this.dialog.close());
        this.dialog.addEventListener('click', event => {
            if (event.target === this.dialog) this.dialog.close();
        });
    }

    async open(fingerprint) {
        $('group-detail-title').textContent = 'Loading…';
        for (const id of ['group-detail-bars', 'group-detail-latest', 'group-detail-symbols', 'group-detail-jobs',
            'group-detail-activity']) {
            $(id).replaceChildren();
        }
        if (!this.dialog.open) this.dialog.showModal();
        const fp = encodeURIComponent(fingerprint);
        try {
            const [detail, activity] = await Promise.all([getJson(`api/errors/groups/${fp}/detail?hours=24`),
                getJson(`api/errors/groups/${fp}/activity?limit=20`)]);
            this.render(detail, Array.isArray(activity) ? activity : []);
        } catch (e) {
            $('group-detail-title').textContent = `Could not load group ${fingerprint}`;
            $('group-detail-latest').append(el('p', { class: 'card-error' }, e.message));
        }
    }

    render(detail, activity) {
        const group = detail.group ?? {};
        setText('group-detail-title', `${group.type ?? 'Error'}: ${group.message ?? ''}`);
        $('group-detail-state').textContent = `${group.state ?? ''} · ${group.count ?? 0} errors · last ${formatShortDateTime(group.last_seen)}`;
        const buckets = Array.isArray(detail.occurrences) ? detail.occurrences : [];
        const max = Math.max(1, ...buckets.map(b => Number(b.count) || 0));
        $('group-detail-bars').replaceChildren(...buckets.map(b => {
            const bar = el('div', { class: 'bar', title: `${formatShortDateTime(b.start)}: ${b.count}` });
            // through the CSSOM: the page's CSP refuses style attributes
            bar.style.height = `${Math.max(2, Math.round(40 * (Number(b.count) || 0) / max))}px`;
            return bar;
        }));
        $('group-detail-latest').replaceChildren(...(detail.latest ?? []).map(e => el('details', { class: 'latest-error' },
            el('summary', {}, `${formatShortDateTime(e.received_at)} ${e.symbol ?? ''} ${e.error_message ?? ''}`),
            el('pre', { class: 'code' }, e.error_traceback || '(no traceback)'))));
        const counts = (id, list) => $(id).replaceChildren(...(list ?? []).map(c => el('li', {}, `${c.name} (${c.count})`)));
        counts('group-detail-symbols', detail.symbols);
        counts('group-detail-jobs', detail.jobs);
        $('group-detail-activity').replaceChildren(...activity.map(a => el('li', {},
            `${formatShortDateTime(a.at)} ${a.actor ?? ''} ${a.action ?? ''}${a.comment ? ': ' + a.comment : ''}`)));
    }
}
