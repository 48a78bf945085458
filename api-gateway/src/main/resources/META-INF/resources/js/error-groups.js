// The grouped view of /api/errors/groups: one row per fingerprint with its count.
import { $, el, formatShortDateTime } from './dom.js';
import { listOf } from './api.js';

export function renderGroups(body) {
    const groups = listOf(body, 'groups', 'items');
    const rows = groups.map(group => {
        const fingerprint = String(group.fingerprint ?? '');
        return el('tr', {},
            el('td', { class: 'num' }, group.count ?? '–'),
            el('td', {}, group.error_type ?? group.type ?? '–'),
            el('td', {}, group.component ?? '–'),
            el('td', { class: 'message', title: String(group.message ?? group.error_message ?? '') },
                group.message ?? group.error_message ?? group.normalized_message ?? '–'),
            el('td', { class: 'nowrap' }, formatShortDateTime(group.first_seen)),
            el('td', { class: 'nowrap' }, formatShortDateTime(group.last_seen)),
            el('td', { class: 'mono', title: fingerprint }, fingerprint.slice(0, 10)));
    });
    $('groups-body').replaceChildren(...rows);
    $('groups-empty').hidden = groups.length > 0;
}
