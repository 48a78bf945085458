// The detail of one error (/api/errors/{id}) in a modal dialog: every field as text,
// the traceback and the context pretty-printed in <pre> blocks.
import { $, el, parseDate, setText, shown } from './dom.js';
import { isGenerated, sameEvent } from './error-stream.js';
import { getJson } from './api.js';

const LONG_FIELDS = new Set(['traceback', 'error_traceback', 'context']);

/**
 * The monitor's copy of an event published without an error_id: the live stream named it with the gateway's own
 * generated id, the monitor stored it under another. Looked up among the errors stored around its time.
 */
async function storedCopy(shown) {
    const at = parseDate(shown.timestamp)?.getTime() ?? Date.now();
    const since = new Date(at - 5000).toISOString();
    try {
        const recent = await getJson(`api/errors/recent?limit=100&since=${encodeURIComponent(since)}`);
        return (Array.isArray(recent) ? recent : []).find(e => isGenerated(e.id) && sameEvent(e, shown)
            && Math.abs((parseDate(e.timestamp)?.getTime() ?? at) - at) <= 5000) ?? null;
    } catch {
        return null;
    }
}

export class ErrorDetail {
    constructor() {
        this.dialog = $('detail');
        $('detail-close').addEventListener('click', () => this.dialog.close());
        this.dialog.addEventListener('click', event => {
            if (event.target === this.dialog) this.dialog.close();
        });
    }

    /** Opens the stored error {@code id}; {@code shown} is the row's error, to find an id-less event's stored copy. */
    async open(id, shown) {
        $('detail-title').textContent = 'Loading…';
        $('detail-fields').replaceChildren();
        $('detail-traceback').textContent = '';
        $('detail-context').textContent = '';
        if (!this.dialog.open) this.dialog.showModal();
        try {
            this.render(await getJson(`api/errors/${encodeURIComponent(id)}`));
        } catch (e) {
            const stored = isGenerated(id) && shown ? await storedCopy(shown) : null;
            if (stored) {
                this.render(await getJson(`api/errors/${encodeURIComponent(stored.id)}`));
                return;
            }
            $('detail-title').textContent = `Could not load error ${id}`;
            $('detail-fields').append(el('dd', {}, e.message));
        }
    }

    render(record) {
        const type = record.type || record.error_type || 'Error';
        setText('detail-title', type);
        const fields = $('detail-fields');
        for (const [key, value] of Object.entries(record)) {
            if (LONG_FIELDS.has(key) || value === null || value === undefined) continue;
            fields.append(el('dt', {}, key),
                el('dd', {}, typeof value === 'object' ? JSON.stringify(value) : String(value)));
        }
        const traceback = record.traceback ?? record.error_traceback;
        $('detail-traceback').textContent = traceback ? shown(traceback) : '(no traceback)';
        const context = record.context;
        $('detail-context').textContent = context && Object.keys(context).length
            ? shown(JSON.stringify(context, null, 2)) : '(no context)';
    }
}
