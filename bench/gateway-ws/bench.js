// Publish-to-WebSocket latency of the api-gateway's /ws/errors.
// A worker thread publishes error events to Redis at a fixed rate (raw RESP, pipelined), each
// carrying its publish time in error_id; N WebSocket clients measure, for every error frame they
// get, now - publish time of the (newest) error it carries. First, WARMUP seconds (env, default 3) of the same load,
// not measured: the gateway starts fresh for each scenario, and without them the figures were those of its JIT warming
// up on the cores the clients share. The clients run on CLIENT_THREADS (env, default 2) threads: on one, the bench's
// own thread was the bottleneck.
'use strict';
const { Worker, isMainThread, parentPort, workerData } = require('worker_threads');
const net = require('net');
const { performance } = require('perf_hooks');

const now = () => performance.timeOrigin + performance.now();

function resp(args) {
    let s = `*${args.length}\r\n`;
    for (const a of args) s += `$${Buffer.byteLength(a)}\r\n${a}\r\n`;
    return s;
}

function publisher({ redisHost, redisPort, channel, rate, seconds, kinds, prefix }) {
    const sock = net.connect(redisPort, redisHost);
    sock.on('data', () => {});
    const tickMs = 10;
    const perTick = rate * tickMs / 1000;
    const total = rate * seconds;
    let seq = 0;
    const start = now();
    sock.on('connect', () => {
        const timer = setInterval(() => {
            // Catch up to the schedule, so a late tick does not lower the rate.
            const due = Math.min(total, Math.floor((now() - start) / 1000 * rate));
            let batch = '';
            while (seq < due) {
                const kind = kinds > 0 ? seq % kinds : seq;
                const event = {
                    error_id: `${prefix}-${now().toFixed(3)}-${seq}`,
                    error_type: 'BenchError',
                    error_message: `bench error kind ${kind}`,
                    severity: 'error',
                    category: 'network',
                    context: { component: 'bench', symbol: 'AAPL' }
                };
                batch += resp(['PUBLISH', channel, JSON.stringify(event)]);
                seq++;
            }
            if (batch) sock.write(batch);
            if (seq >= total) {
                clearInterval(timer);
                sock.end(() => parentPort.postMessage({ published: seq, seconds: (now() - start) / 1000 }));
            }
        }, tickMs);
    });
}

function percentile(sorted, p) {
    if (sorted.length === 0) return NaN;
    return sorted[Math.min(sorted.length - 1, Math.floor(p / 100 * sorted.length))];
}

/** A share of the WebSocket clients, on a thread of its own: one thread for 100 clients was the bench's bottleneck. */
function clients({ port, auth, count }) {
    const WebSocket = require('ws');
    let latencies = [], perClient = [], frames = 0, folded = 0, dropped = 0;
    let connected = 0;
    for (let i = 0; i < count; i++) {
        const stats = { frames: 0 };
        perClient.push(stats);
        const ws = new WebSocket(`ws://127.0.0.1:${port}/ws/errors`, { headers: { Authorization: auth } });
        ws.on('message', data => {
            const t = now();
            const frame = JSON.parse(data);
            if (frame.type === 'hello') {
                if (++connected === count) parentPort.postMessage({ ready: true });
                return;
            }
            if (frame.type === 'dropped') { dropped += frame.count; return; }
            if (frame.type !== 'error' || !frame.error.id.startsWith('bench-')) return;
            latencies.push(t - Number(frame.error.id.split('-')[1]));
            frames++;
            stats.frames++;
            folded += frame.count;
        });
        ws.on('error', e => { console.error(e.message); process.exit(1); });
    }
    parentPort.on('message', m => {
        if (m === 'reset') {
            dropped = 0;
        } else if (m === 'report') {
            parentPort.postMessage({ latencies, frames, folded, dropped, perClient: perClient.map(c => c.frames) });
        }
    });
}

async function main() {
    const [port, user, password, clientCount, rate, seconds, kinds, redisHost, redisPort, channel] = process.argv.slice(2);
    const n = Number(clientCount);
    const auth = 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
    // CLIENT_THREADS (default 2, the cores of this project's machines) share the clients
    const threads = Math.max(1, Math.min(n, Number(process.env.CLIENT_THREADS ?? 2)));
    const workers = Array.from({ length: threads }, (_, i) => new Worker(__filename, { workerData: {
        role: 'clients', port, auth, count: Math.floor(n / threads) + (i < n % threads ? 1 : 0) } }));
    await Promise.all(workers.map(w => new Promise((resolve, reject) => {
        w.once('message', resolve);
        w.once('error', reject);
    })));
    console.log(`${n} clients connected (${threads} threads)`);

    const publish = (prefix, secs) => new Promise(resolve => {
        const w = new Worker(__filename, { workerData: {
            role: 'publisher', redisHost, redisPort: Number(redisPort), channel, rate: Number(rate), seconds: secs,
            kinds: Number(kinds), prefix } });
        w.on('message', resolve);
    });
    const warmup = Number(process.env.WARMUP ?? 3);
    if (warmup > 0) {
        // the clients count only 'bench-' errors; what the warm-up left queued drains before the measured run
        await publish('warmup', warmup);
        await new Promise(r => setTimeout(r, 2000));
        workers.forEach(w => w.postMessage('reset'));
        console.log(`${warmup} s of warm-up at ${rate} errors/s done (not measured)`);
    }
    const result = await publish('bench', Number(seconds));
    // Frames still in the gateway's per-client queues keep arriving for a moment.
    await new Promise(r => setTimeout(r, 3000));

    const reports = await Promise.all(workers.map(w => new Promise(resolve => {
        w.once('message', resolve);
        w.postMessage('report');
    })));
    const latencies = reports.flatMap(r => r.latencies).sort((a, b) => a - b);
    const frames = reports.reduce((a, r) => a + r.frames, 0);
    const folded = reports.reduce((a, r) => a + r.folded, 0);
    const dropped = reports.reduce((a, r) => a + r.dropped, 0);
    const framesPerClientPerSecond = reports.flatMap(r => r.perClient).map(f => f / result.seconds);
    const fmt = x => x.toFixed(1);
    console.log(`published ${result.published} errors in ${result.seconds.toFixed(2)} s (${(result.published / result.seconds).toFixed(0)}/s), ${kinds > 0 ? kinds + ' distinct kinds' : 'all distinct'}`);
    console.log(`error frames received: ${frames} (${(frames / n).toFixed(0)} per client, max ${fmt(Math.max(...framesPerClientPerSecond))} frames/s per client)`);
    console.log(`errors carried (sum of counts) per client: ${(folded / n).toFixed(0)} of ${result.published}; reported dropped per client: ${(dropped / n).toFixed(0)}`);
    console.log(`publish-to-WebSocket latency ms: p50 ${fmt(percentile(latencies, 50))}  p90 ${fmt(percentile(latencies, 90))}  p99 ${fmt(percentile(latencies, 99))}  max ${fmt(latencies[latencies.length - 1])}`);
    // The same figures on one machine-readable line (bench/gateway-ws.sh and bench/run-all.sh read it).
    console.log('json ' + JSON.stringify({
        clients: n, client_threads: threads, rate: Number(rate), seconds: Number(seconds), kinds: Number(kinds),
        warmup_seconds: warmup,
        published: result.published, publish_seconds: result.seconds, frames,
        frames_per_second: frames / result.seconds,
        max_frames_per_client_second: Math.max(...framesPerClientPerSecond),
        carried_per_client: folded / n, dropped_per_client: dropped / n,
        p50_ms: percentile(latencies, 50), p90_ms: percentile(latencies, 90),
        p99_ms: percentile(latencies, 99), max_ms: latencies[latencies.length - 1] ?? null }));
    process.exit(0);
}

if (isMainThread) {
    main().catch(e => { console.error(e.message); process.exit(1); });
} else if (workerData.role === 'clients') {
    clients(workerData);
} else {
    publisher(workerData);
}
