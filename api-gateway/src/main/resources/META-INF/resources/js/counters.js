// The 24 h counters: loaded from /api/errors/statistics, then moved by each live frame.
import { setText, formatNumber } from './dom.js';

export class Counters {
    constructor() {
        this.values = { total: null, critical: null, error: null, warning: null };
    }

    load(statistics) {
        const bySeverity = (statistics && statistics.bySeverity) || {};
        this.values = {
            total: statistics?.total ?? 0,
            critical: bySeverity.critical ?? 0,
            error: bySeverity.error ?? 0,
            warning: bySeverity.warning ?? 0
        };
        this.render();
    }

    count(severity, n) {
        if (this.values.total === null) return; // not loaded yet: the load will include it
        this.values.total += n;
        if (severity in this.values) this.values[severity] += n;
        this.render();
    }

    render() {
        setText('count-total', formatNumber(this.values.total));
        setText('count-critical', formatNumber(this.values.critical));
        setText('count-error', formatNumber(this.values.error));
        setText('count-warning', formatNumber(this.values.warning));
    }
}
