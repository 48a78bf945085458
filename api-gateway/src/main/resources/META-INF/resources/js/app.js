// Wires the dashboard: first load over REST, then live frames from /ws/errors; once the socket's
// hello arrives (and after every reconnect) the gap is filled from /api/errors/recent?since=<newest seen>
// (silences and deliveries are asked again: their panels merge by id).
import { $, el, parseDate, throttle } from './dom.js';
import { getJson, postJson, listOf } from './api.js';
import { LiveSocket } from './live-socket.js';
import { ErrorStream } from './error-stream.js';
import { ErrorDetail } from './error-detail.js';
import { CriticalBanner, toast } from './notifications.js';
import { markCritical, showConnection, showHealth } from './health.js';
import { Counters } from './counters.js';
import { TimelineChart } from './timeline-chart.js';
import { ProblemJobs } from './problem-jobs.js';
import { GroupsPanel } from './error-groups.js';
import { ChecksPanel } from './checks.js';
import { GroupDetail } from './group-detail.js';
import { CurrentRun } from './current-run.js';
import { renderRuns } from './recent-runs.js';
import { SilencesPanel } from './silences.js';
import { DeliveriesPanel } from './deliveries.js';
import { AlertsPanel, isSilenced } from './alerts.js';

const RESYNC_MS = 60000;

const detail = new ErrorDetail();
const stream = new ErrorStream((id, error) => detail.open(id, error));
const banner = new CriticalBanner();
const counters = new Counters();
const chart = new TimelineChart();
const jobs = new ProblemJobs();
const alerts = new AlertsPanel();
const deliveries = new DeliveriesPanel();
const groupDetail = new GroupDetail();
const checks = new ChecksPanel();
const groups = new GroupsPanel(() => loadGroups(), fp => groupDetail.open(fp));
let lastSeen = null; // raw ISO timestamp of the newest error seen
let droppedTotal = 0;

function seen(iso) {
    const time = parseDate(iso);
    if (time && (!lastSeen || time > parseDate(lastSeen))) lastSeen = iso;
}

/**
 * Loads one section; a failing one (say the monitor is down: the gateway answers 503 naming it)
 * is greyed out with the reason, and the other sections carry on.
 */
async function section(path, render, card) {
    const node = card ? document.querySelector(card) : null;
    try {
        render(await getJson(path));
        node?.classList.remove('unavailable');
        node?.querySelector(':scope > .card-error')?.remove();
    } catch (e) {
        if (!node) return;
        node.classList.add('unavailable');
        const notice = node.querySelector(':scope > .card-error') ?? el('p', { class: 'card-error' });
        notice.textContent = `Not available: ${e.message}`;
        node.append(notice);
    }
}

async function loadHealth() {
    try {
        showHealth(await getJson('api/errors/health'));
    } catch {
        showHealth(null); // unknown: the monitor does not answer
    }
}
const loadCounters = () => section('api/errors/statistics?hours=24', s => counters.load(s), '.counters');
const loadTimeline = () => section('api/errors/timeline?hours=24&bucket_minutes=60', t => chart.load(t), '.chart-card');
function loadGroups() {
    const path = groups.path();
    // an answer for a filter changed since it was asked (the first load's, say, after a search was typed) is dropped
    return section(path, g => path === groups.path() && groups.load(g), '.groups-card');
}
const loadJobs = () => Promise.all([
    section('api/jobs?problems=true', b => jobs.load(b), '.jobs-card'),
    section('api/freshness?limit=50', f => jobs.loadFreshness(f))
]);
const loadRuns = () => section('api/executions?limit=6', renderRuns);
const loadChecks = () => section('api/checks', c => checks.load(c), '.checks-card');
const loadCurrentRun = () => section('api/runs/current', c => currentRun.load(c), '.run-card');
const loadAlerts = () => section('api/alerts?limit=20', a => alerts.load(a), '.alerts-card');
const loadNotifications = () => section('api/notifications?limit=50', n => deliveries.load(n), '.deliveries-card');
function loadSilences() {
    const requestedAt = Date.now();
    return section('api/silences', s => silences.load(s, requestedAt), '.silences-card');
}

const currentRun = new CurrentRun(() => {
    refreshRunsSoon();
    refreshJobsSoon();
});

currentRun.onSilence = loadCurrentRun;

const refreshHealthSoon = throttle(loadHealth, 2000);
const refreshGroupsSoon = throttle(loadGroups, 5000);
const refreshJobsSoon = throttle(loadJobs, 3000);
const refreshRunsSoon = throttle(loadRuns, 3000);
const refreshAlertsSoon = throttle(loadAlerts, 3000);
const refreshChecksSoon = throttle(loadChecks, 2000);
// a silence came or went: which alerts it silences is the monitor's answer
const silences = new SilencesPanel(() => setTimeout(refreshAlertsSoon, 1000));

function loadRecent(since) {
    const query = since ? `limit=100&since=${encodeURIComponent(since)}` : 'limit=100';
    return section(`api/errors/recent?${query}`, body => {
        for (const error of listOf(body, 'errors', 'items')) {
            stream.add(error, 1, true);
            seen(error.timestamp);
        }
    }, '.stream-card');
}

async function loadMe() {
    try {
        const me = await getJson('api/me');
        const roles = Array.isArray(me?.roles) ? me.roles : [];
        const user = $('user');
        user.replaceChildren(el('span', {}, me?.user ?? ''), el('span', { class: 'muted' }, ` (${roles.join(', ')})`));
        user.hidden = false;
        $('logout').hidden = false;
        currentRun.enableAdmin(roles.includes('admin'));
        silences.enableAdmin(roles.includes('admin'));
        groups.enableAdmin(roles.includes('admin'));
        checks.enableAdmin(roles.includes('admin'));
    } catch {
        currentRun.enableAdmin(false);
        silences.enableAdmin(false);
        groups.enableAdmin(false);
        checks.enableAdmin(false);
    }
}

// ends the session on the server (every replica refuses the cookie afterwards, copies included), then the login page
async function logout() {
    const button = $('logout');
    button.disabled = true;
    try {
        await postJson('api/logout');
    } catch {
        // 401: the session had already ended; 503: the cookie is cleared all the same
    }
    location.assign('login.html');
}

function onFrame(frame) {
    // the frame is untrusted input: each case below reads plain fields and renders them as text
    switch (frame.type) {
        case 'hello':
            showHealth(frame.health);
            break;
        case 'error': {
            const error = frame.error;
            if (!error) break; // a reply to an invalid filter: {"type":"error","reason":...}
            const count = Number(frame.count) > 0 ? Number(frame.count) : 1;
            const severity = String(error.severity || '').toLowerCase();
            stream.add(error, count);
            seen(error.timestamp);
            counters.count(severity, count);
            chart.count(severity, count, error.timestamp);
            if (severity === 'error' && error.ignored !== true) {
                toast('error', `Error${count > 1 ? ' ×' + count : ''}`, error.message);
            }
            // the monitor stores the error in parallel: ask a moment later so the answer includes it
            setTimeout(refreshHealthSoon, 1500);
            setTimeout(refreshGroupsSoon, 1500);
            break;
        }
        case 'critical_error': {
            const error = frame.error || {};
            if (error.ignored === true) break; // its group is ignored: the row says so, nothing more
            const count = Number(frame.count) > 0 ? Number(frame.count) : 1;
            banner.show(error, count);
            markCritical();
            toast('critical', `Critical${count > 1 ? ' ×' + count : ''}`, error.message);
            break;
        }
        case 'alert': {
            const alert = alerts.onAlert(frame.alert) ?? frame.alert ?? {};
            if (isSilenced(alert)) {
                toast('silenced', `Alert (silenced): ${alert.rule ?? ''}`, alert.message);
            } else {
                toast(alert.severity === 'critical' ? 'critical' : 'alert', `Alert: ${alert.rule ?? ''}`, alert.message);
            }
            // the monitor stores the alert (and whether a silence matches it) in parallel: ask a moment later
            setTimeout(refreshAlertsSoon, 1500);
            if (String(alert.rule ?? '').startsWith('check_')) setTimeout(refreshChecksSoon, 500);
            break;
        }
        case 'silence':
            silences.onFrame(frame);
            break;
        case 'group':
            groups.onFrame(frame);
            break;
        case 'delivery':
            deliveries.onDelivery(frame.notification);
            break;
        case 'run_progress':
            currentRun.onEvent(frame.event);
            break;
        case 'execution':
            // the monitor stores the same event in parallel: ask a moment later so the answer includes it
            if (frame.event && frame.event.event !== 'job.started') setTimeout(refreshJobsSoon, 1000);
            setTimeout(refreshChecksSoon, 1000); // its job may be a check
            break;
        case 'check':
            refreshChecksSoon(); // a ping or a change to a check
            break;
        case 'dropped':
            droppedTotal += Number(frame.count) || 0;
            stream.showDropped(droppedTotal);
            loadCurrentRun(); // a dropped frame may have been the run's progress, a silence or a delivery
            loadSilences();
            loadNotifications();
            break;
        default:
            break;
    }
}

// what the page is for first: health, counters, the errors and the current run; the panels below them (problem jobs,
// recent runs, alerts, silences, deliveries, checks, error groups) fill in right after, so on a busy machine the first
// view is not held up by them (two cores here serve the browser, the gateway, the monitor and the runner at once)
const loadCore = since => Promise.allSettled([loadMe(), loadHealth(), loadCounters(), loadTimeline(), loadRecent(since),
    loadCurrentRun()]);
const loadBelow = () => Promise.allSettled([loadJobs(), loadRuns(), loadChecks(), loadSilences(), loadAlerts(), loadNotifications(),
    loadGroups()]);

async function loadAll(since) {
    await Promise.allSettled([loadCore(since), loadBelow()]);
}

const coreLoaded = loadCore(null).then(() => {
    // an early answer this load did not take (its path was asked for otherwise, a restored search box say) would
    // be an old answer to a later call of that path
    window.earlyAnswers?.clear();
    performance.mark('dashboard-ready');
    document.body.dataset.ready = 'true';
    // the bars after the first view is painted (TimelineChart.show): a timeout queued from the next frame runs after it
    requestAnimationFrame(() => setTimeout(() => chart.show()));
});
coreLoaded.then(loadBelow);

const socket = new LiveSocket({
    onFrame,
    onState: showConnection,
    // after a reconnect everything may be stale; on the first connection only what was published between the
    // page's first REST load and its registration can be missing (the stream skips rows it already has): asked for
    // once that first load is done, so the two never compete while the page gets ready
    onLive: reconnected => (reconnected ? loadAll(lastSeen)
        : coreLoaded.then(() => Promise.allSettled([loadRecent(lastSeen), loadSilences(), loadNotifications()])))
});

socket.connect();
$('logout').addEventListener('click', logout);
setInterval(() => Promise.allSettled([loadCounters(), loadTimeline(), loadHealth(), loadGroups(), loadJobs(),
    loadSilences(), loadAlerts()]), RESYNC_MS);
// a check's state moves with time alone (due, late): its card is asked for more often than the rest
setInterval(loadChecks, 10000);
