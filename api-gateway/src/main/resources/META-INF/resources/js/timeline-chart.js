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
        this.chart = null;
        this.redraw = throttle(() => this.draw(), 1000);
        const canvas = $('timeline-chart');
        if (!window.Chart) {
            canvas.replaceWith(document.createTextNode('Chart library not loaded.'));
            return;
        }
        this.chart = new window.Chart(canvas, {
            type: 'bar',
            data: {
                labels: [],
                datasets: SERIES.map(s => ({ label: s.label, data: [], backgroundColor: s.colour, stack: 'errors' }))
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
    }

    load(timeline) {
        if (!this.chart || !timeline) return;
        this.bucketMs = (timeline.bucketMinutes || 60) * 60 * 1000;
        const buckets = timeline.buckets || [];
        this.starts = buckets.map(b => parseDate(b.start)?.getTime() ?? 0);
        this.chart.data.labels = this.starts.map(t => hourFormat.format(new Date(t)));
        this.chart.data.datasets.forEach((dataset, i) => {
            dataset.data = buckets.map(b => b[SERIES[i].key] ?? 0);
        });
        this.draw();
    }

    /** Repaints, and exposes the total drawn (data-total on the canvas) so a test can see the chart move. */
    draw() {
        if (!this.chart) return;
        this.chart.update('none');
        this.chart.canvas.dataset.total = String(this.total());
    }

    /** Adds n errors of a severity at a time, opening new buckets as the clock moves on. */
    count(severity, n, iso) {
        if (!this.chart || this.starts.length === 0) return;
        const series = SERIES.findIndex(s => s.key === severity);
        if (series === -1) return;
        const at = parseDate(iso)?.getTime() ?? Date.now();
        let last = this.starts[this.starts.length - 1];
        while (at >= last + this.bucketMs) {
            last += this.bucketMs;
            this.starts.push(last);
            this.chart.data.labels.push(hourFormat.format(new Date(last)));
            this.chart.data.datasets.forEach(dataset => dataset.data.push(0));
            this.starts.shift();
            this.chart.data.labels.shift();
            this.chart.data.datasets.forEach(dataset => dataset.data.shift());
        }
        let index = -1;
        for (let i = this.starts.length - 1; i >= 0; i--) {
            if (at >= this.starts[i]) {
                index = i;
                break;
            }
        }
        if (index === -1) return; // older than the chart
        this.chart.data.datasets[series].data[index] += n;
        this.redraw();
    }

    total() {
        if (!this.chart) return 0;
        return this.chart.data.datasets.reduce((sum, d) => sum + d.data.reduce((a, b) => a + b, 0), 0);
    }
}
