// Toasts for error and critical events and the dismissable critical banner (never alert()).
import { $, el, setText } from './dom.js';

const MAX_TOASTS = 4;
const TOAST_MS = 6000;

export function toast(kind, title, text) {
    const container = $('toasts');
    const close = el('button', { type: 'button', class: 'toast-close', 'aria-label': 'Close' }, '×');
    const node = el('div', { class: `toast toast-${kind}`, role: 'status' },
        el('strong', {}, title), el('span', { class: 'toast-text' }, text ?? ''), close);
    const remove = () => node.remove();
    close.addEventListener('click', remove);
    setTimeout(remove, TOAST_MS);
    container.prepend(node);
    while (container.children.length > MAX_TOASTS) container.lastElementChild.remove();
}

export class CriticalBanner {
    constructor() {
        this.banner = $('critical-banner');
        this.unseen = 0;
        $('critical-banner-dismiss').addEventListener('click', () => this.dismiss());
    }

    show(error, count = 1) {
        this.unseen += count;
        const where = [error.component, error.symbol].filter(Boolean).join(' / ');
        setText('critical-banner-text',
            `${error.type ? error.type + ': ' : ''}${error.message ?? ''}${where ? ' (' + where + ')' : ''}`);
        $('critical-banner-count').textContent = this.unseen > 1 ? `${this.unseen} critical since last dismissed` : '';
        this.banner.hidden = false;
    }

    dismiss() {
        this.unseen = 0;
        this.banner.hidden = true;
    }
}
