// The error groups of /api/errors/groups with their workflow: a state filter and a search box for everyone, and for
// admins Resolve / Ignore / Reopen buttons per group. Group frames (one dashboard's action, a regression the monitor
// noticed) update the row in every open dashboard; the gateway enforces the admin role anyway.
import { $, el, formatShortDateTime } from './dom.js';
import { listOf, postJson } from './api.js';
import { toast } from './notifications.js';

const STATE_LABEL = { unresolved: 'Unresolved', regressed: 'Regressed', resolved: 'Resolved', ignored: 'Ignored' };

export class GroupsPanel {
    /** @param reload asks for the list again (the app's section loader, which greys the card out on failure) */
    /** @param onOpen called with a group's fingerprint when its row is clicked (outside its buttons) */
    constructor(reload, onOpen) {
        this.reload = reload ?? (() => {});
        this.onOpen = onOpen ?? (() => {});
        this.groups = [];
        this.isAdmin = false;
        this.pending = new Set(); // fingerprints with an action on its way
        this.state = $('groups-state');
        this.search = $('groups-q');
        this.state.addEventListener('change', () => this.reload());
        let typing = null;
        this.search.addEventListener('input', () => {
            clearTimeout(typing);
            typing = setTimeout(() => this.reload(), 300);
        });
    }

    /** The list query of the current filter. */
    path() {
        const params = new URLSearchParams({ limit: '50' });
        if (this.state.value) params.set('state', this.state.value);
        const q = this.search.value.trim();
        if (q) params.set('q', q);
        return `api/errors/groups?${params}`;
    }

    enableAdmin(isAdmin) {
        this.isAdmin = isAdmin;
        this.render();
    }

    load(body) {
        this.groups = listOf(body, 'groups', 'items');
        this.render();
    }

    /** A group frame: {"type":"group","action":...,"group":{...}}, or {"action":"bulk"} after a large bulk action. */
    onFrame(frame) {
        const group = frame?.group;
        if (frame?.action === 'bulk' || !group || typeof group.fingerprint !== 'string') {
            this.reload();
            return;
        }
        const at = this.groups.findIndex(g => g.fingerprint === group.fingerprint);
        if (at >= 0 && this.matchesFilter(group)) {
            this.groups[at] = group;
        } else if (at >= 0) {
            this.groups.splice(at, 1);
        } else if (this.matchesFilter(group)) {
            this.reload(); // where it belongs in the order is the monitor's answer
            return;
        }
        this.render();
        if (frame.action === 'regressed') {
            toast('alert', 'Regression', `${group.type ?? 'Error'}: ${group.message ?? ''}`);
        }
    }

    matchesFilter(group) {
        return !this.state.value || this.state.value === group.state;
    }

    async act(group, action, body = {}) {
        this.pending.add(group.fingerprint);
        this.render();
        try {
            const changed = await postJson(`api/errors/groups/${encodeURIComponent(group.fingerprint)}/${action}`, body);
            this.onFrame({ type: 'group', action, group: changed });
        } catch (e) {
            toast('error', `Could not ${action} the group`, e.message);
        } finally {
            this.pending.delete(group.fingerprint);
            this.render();
        }
    }

    actions(group) {
        if (!this.isAdmin) return null;
        const busy = this.pending.has(group.fingerprint);
        const button = (label, action) => el('button', {
            type: 'button', class: 'btn btn-small', disabled: busy, dataset: { action },
            onclick: () => this.act(group, action)
        }, label);
        const state = group.state ?? 'unresolved';
        return el('div', { class: 'row-actions' },
            state !== 'resolved' ? button('Resolve', 'resolve') : null,
            state !== 'ignored' ? button('Ignore', 'ignore') : null,
            state === 'resolved' || state === 'ignored' ? button('Reopen', 'unresolve') : null);
    }

    render() {
        const rows = this.groups.map(group => {
            const fingerprint = String(group.fingerprint ?? '');
            const state = String(group.state ?? 'unresolved');
            return el('tr', {
                class: 'group-row', dataset: { fingerprint, state },
                onclick: event => {
                    if (!event.target.closest('button')) this.onOpen(fingerprint);
                }
            },
                el('td', {}, el('span', { class: `badge state-${state}` }, STATE_LABEL[state] ?? state)),
                el('td', { class: 'num' }, group.count ?? '–'),
                el('td', {}, group.type ?? '–'),
                el('td', {}, group.component ?? '–'),
                el('td', { class: 'message', title: String(group.message ?? '') }, group.message ?? '–'),
                el('td', { class: 'nowrap' }, formatShortDateTime(group.first_seen)),
                el('td', { class: 'nowrap' }, formatShortDateTime(group.last_seen)),
                el('td', { class: 'mono', title: fingerprint }, fingerprint.slice(0, 10)),
                el('td', { class: 'nowrap' }, this.actions(group)));
        });
        $('groups-body').replaceChildren(...rows);
        $('groups-empty').hidden = this.groups.length > 0;
    }
}
