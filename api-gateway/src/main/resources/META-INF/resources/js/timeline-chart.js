// Errors over the last 24 h, stacked by severity, with Chart.js (served from its webjar).
// Loaded from /api/errors/timeline, then the current bucket grows with each live frame.
import { $, parseDate, throttle } from './dom.js';

const SERIES = [
    { key: 'critical', label: 'Critical', colour: '#c62828' },
    { key: 'error', label: 'Error', colour: '#ef6c00' },
    { key: 'warning', label: 'Warning', colour: '#f9a825' },
    { key: 'info', label: 'Info', colour: '#1e88e5' },
    { key: 'debug', label: 'Debug', colour: '#9e9e9e' }
];

const hourFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

export class TimelineChart {
    constructor() {
        this.bucketMs = 60 * 60 * 1000;
        this.starts = []; // bucket start times in ms
        this.labels = [];
        this.series = SERIES.map(() => []); // counts per bucket, one array per severity
        this.chart = null;
        this.canvas = $('timeline-chart');
        this.redraw = throttle(() => this.draw(), 1000);
    }

    /**
     * Draws the chart, with whatever was loaded or counted so far. Called once the page's first view is up (app.js):
     * Chart.js's first chart takes 100-150 ms of script on a 2-core machine (its options resolved cold, the canvas
     * measured), which would otherwise hold up the errors, counters and health shown with it.
     */
    show() {
        if (this.chart || !this.canvas.isConnected) return;
        if (!window.Chart) {
            this.canvas.replaceWith(document.createTextNode('Chart library not loaded.'));
            return;
        }
        this.chart = new window.Chart(this.canvas, {
            type: 'bar',
            data: {
                labels: this.labels,
                datasets: SERIES.map((s, i) => ({ label: s.label, data: this.series[i], backgroundColor: s.colour, stack: 'errors' }))
            },
            options: {
                animation: false,
                responsive: true,
                maintainAspectRatio: false,
                interaction: { mode: 'index', intersect: false },
                scales: {
                    x: { stacked: true, grid: { display: false }, ticks: { maxRotation: 0, autoSkipPadding: 12 } },
                    y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }
                },
                plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } } }
            }
        });
        this.draw();
    }

    load(timeline) {
        if (!timeline) return;
        this.bucketMs = (timeline.bucketMinutes || 60) * 60 * 1000;
        const buckets = timeline.buckets || [];
        this.starts = buckets.map(b => parseDate(b.start)?.getTime() ?? 0);
        // in place: the chart holds these arrays
        this.labels.splice(0, this.labels.length, ...this.starts.map(t => hourFormat.format(new Date(t))));
        this.series.forEach((data, i) => data.splice(0, data.length, ...buckets.map(b => b[SERIES[i].key] ?? 0)));
        this.draw();
    }

    /** Repaints, and exposes the total counted (data-total on the canvas) so a test can see the chart move. */
    draw() {
        this.chart?.update('none');
        this.canvas.dataset.total = String(this.total());
    }

    /** Adds n errors of a severity at a time, opening new buckets as the clock moves on. */
    count(severity, n, iso) {
        if (this.starts.length === 0) return;
        const series = SERIES.findIndex(s => s.key === severity);
        if (series === -1) return;
        const at = parseDate(iso)?.getTime() ?? Date.now();
        let last = this.starts[this.starts.length - 1];
        while (at >= last + this.bucketMs) {
            last += this.bucketMs;
            this.starts.push(last);
            this.labels.push(hourFormat.format(new Date(last)));
            this.series.forEach(data => data.push(0));
            this.starts.shift();
            this.labels.shift();
            this.series.forEach(data => data.shift());
        }
        let index = -1;
        for (let i = this.starts.length - 1; i >= 0; i--) {
            if (at >= this.starts[i]) {
                index = i;
                break;
            }
        }
        if (index === -1) return; // older than the chart
        this.series[series][index] += n;
        this.redraw();
    }

    total() {
        return this.series.reduce((sum, data) => sum + data.reduce((a, b) => a + b, 0), 0);
    }
}
