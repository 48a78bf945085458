// The current batch run: loaded from /api/runs/current, then pushed live by run_progress frames.
// Run now / Cancel are shown to admins only (roles from /api/me); the gateway enforces it anyway.
import { $, el, formatDuration, parseDate, setText } from './dom.js';
import { getJson, listOf, postJson } from './api.js';
import { toast } from './notifications.js';

const FINISHED = { 'run.completed': 'completed', 'run.failed': 'failed', 'run.cancelled': 'cancelled' };
// while a run is active and no frame came for this long, ask the runner (a frame may have been dropped)
const SILENCE_MS = 5000;

export class CurrentRun {
    constructor(onFinished) {
        this.onFinished = onFinished;
        this.running = false;
        this.isAdmin = false;
        this.startedMs = null;
        this.runId = null;
        this.lastFrameAt = 0;
        this.onSilence = null;
        $('run-now').addEventListener('click', () => this.start());
        $('run-cancel').addEventListener('click', () => this.cancel());
        setInterval(() => this.tick(), 1000);
    }

    async enableAdmin(isAdmin) {
        this.isAdmin = isAdmin;
        $('run-now').hidden = !isAdmin;
        $('run-cancel').hidden = !isAdmin;
        $('run-select').hidden = !isAdmin;
        this.updateButtons();
        if (!isAdmin) return;
        try {
            const select = $('run-select');
            const jobs = listOf(await getJson('api/jobs/catalog'), 'jobs');
            const chosen = select.value;
            select.replaceChildren(select.options[0], ...jobs.map(job => {
                const targets = Array.isArray(job.targets) ? job.targets.length : 0;
                return el('option', { value: job.name }, targets > 1 ? `${job.name} (${targets} targets)` : job.name);
            }));
            select.value = chosen;
        } catch {
            // without the catalog, Run now still runs the due jobs
        }
    }

    /** The answer of GET /api/runs/current. */
    load(current) {
        if (!current || current.status !== 'running') {
            const missedEnd = this.running;
            this.showIdle(current?.message || 'No batch running');
            if (missedEnd) this.onFinished();
            return;
        }
        const jobs = current.jobs || {};
        this.startedMs = parseDate(current.started_at)?.getTime()
            ?? Date.now() - (current.elapsed_seconds ?? 0) * 1000;
        this.show({
            runId: current.batch_run_id, percent: current.progress_percent, job: current.current_job,
            target: current.current_portfolio, total: jobs.total, completed: jobs.completed, failed: jobs.failed
        });
    }

    /** The event of a run_progress frame (an ExecutionEvent run.*). */
    onEvent(event) {
        if (!event) return;
        this.lastFrameAt = Date.now();
        const finished = FINISHED[event.event];
        if (event.event === 'run.started' || this.runId !== event.batch_run_id) {
            this.startedMs = parseDate(event.started_at || event.timestamp)?.getTime() ?? Date.now();
        }
        this.show({
            runId: event.batch_run_id, percent: finished === 'completed' ? 100 : event.progress_percent,
            job: event.current_job, target: event.current_target, total: event.total_jobs,
            completed: event.completed_jobs, failed: event.failed_jobs, finished,
            duration: event.duration_seconds, error: event.error_message
        });
        if (finished) this.onFinished();
    }

    show(run) {
        this.runId = run.runId ?? this.runId;
        this.running = !run.finished;
        const percent = Math.max(0, Math.min(100, Number(run.percent) || 0));
        const bar = $('run-progress-bar');
        bar.style.width = `${percent}%`;
        bar.className = `progress-bar${run.finished ? ' ' + run.finished : ''}`;
        bar.parentElement.setAttribute('aria-valuenow', String(Math.round(percent)));
        bar.parentElement.dataset.percent = String(percent);
        setText('run-progress-label', `${percent.toFixed(percent % 1 ? 1 : 0)} %`);
        setText('run-job', run.job || '–');
        setText('run-target', run.target || '–');
        setText('run-completed', run.completed ?? 0);
        setText('run-total', run.total ?? 0);
        setText('run-failed', run.failed ?? 0);
        const status = $('run-status');
        status.dataset.status = run.finished || 'running';
        status.textContent = run.finished ? `Run ${run.finished}` : 'Running';
        setText('run-message', run.error ? run.error : (this.runId ? `batch ${this.runId}` : ''));
        if (run.finished) {
            if (run.duration !== undefined && run.duration !== null) {
                setText('run-elapsed', formatDuration(run.duration));
            } else {
                this.tick();
            }
            this.startedMs = null;
        } else {
            this.tick();
        }
        this.updateButtons();
    }

    showIdle(message) {
        this.running = false;
        const status = $('run-status');
        status.dataset.status = 'idle';
        status.textContent = message;
        this.updateButtons();
    }

    tick() {
        if (this.running && this.onSilence && Date.now() - this.lastFrameAt > SILENCE_MS) {
            this.lastFrameAt = Date.now();
            this.onSilence();
        }
        if (this.startedMs !== null) setText('run-elapsed', formatDuration((Date.now() - this.startedMs) / 1000));
    }

    updateButtons() {
        $('run-now').disabled = !this.isAdmin || this.running;
        $('run-select').disabled = !this.isAdmin || this.running;
        $('run-cancel').disabled = !this.isAdmin || !this.running;
    }

    async start() {
        $('run-now').disabled = true;
        try {
            const job = $('run-select').value;
            const answer = await postJson(job ? `api/runs?job=${encodeURIComponent(job)}` : 'api/runs');
            this.lastFrameAt = Date.now();
            toast('info', 'Run started', answer?.batch_run_id ? `batch ${answer.batch_run_id}` : '');
            this.running = true;
        } catch (e) {
            toast('error', 'Run not started', e.message);
        }
        this.updateButtons();
    }

    async cancel() {
        $('run-cancel').disabled = true;
        try {
            await postJson('api/runs/current/cancel');
            toast('info', 'Cancel requested', '');
        } catch (e) {
            toast('error', 'Cancel failed', e.message);
        }
        this.updateButtons();
    }
}
