// The detail of one error (/api/errors/{id}) in a modal dialog: every field as text,
// the traceback and the context pretty-printed in <pre> blocks.
import { $, el } from './dom.js';
import { getJson } from './api.js';

const LONG_FIELDS = new Set(['traceback', 'error_traceback', 'context']);

export class ErrorDetail {
    constructor() {
        this.dialog = $('detail');
        $('detail-close').addEventListener('click', () => this.dialog.close());
        this.dialog.addEventListener('click', event => {
            if (event.target === this.dialog) this.dialog.close();
        });
    }

    async open(id) {
        $('detail-title').textContent = 'Loading…';
        $('detail-fields').replaceChildren();
        $('detail-traceback').textContent = '';
        $('detail-context').textContent = '';
        if (!this.dialog.open) this.dialog.showModal();
        try {
            this.render(await getJson(`api/errors/${encodeURIComponent(id)}`));
        } catch (e) {
            $('detail-title').textContent = `Could not load error ${id}`;
            $('detail-fields').append(el('dd', {}, e.message));
        }
    }

    render(record) {
        const type = record.type || record.error_type || 'Error';
        $('detail-title').textContent = `${type}`;
        const fields = $('detail-fields');
        for (const [key, value] of Object.entries(record)) {
            if (LONG_FIELDS.has(key) || value === null || value === undefined) continue;
            fields.append(el('dt', {}, key),
                el('dd', {}, typeof value === 'object' ? JSON.stringify(value) : String(value)));
        }
        const traceback = record.traceback ?? record.error_traceback;
        $('detail-traceback').textContent = traceback || '(no traceback)';
        const context = record.context;
        $('detail-context').textContent = context && Object.keys(context).length
            ? JSON.stringify(context, null, 2) : '(no context)';
    }
}
