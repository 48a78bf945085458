// The page's live connection to /ws/errors: reconnects by itself with capped exponential
// backoff and jitter, and tells the page when it is live (the hello arrived) so it can fill the gap over REST.

const INITIAL_DELAY_MS = 500;
const MAX_DELAY_MS = 15000;

export class LiveSocket {
    /**
     * @param {object} handlers onFrame(frame), onState(state, detail), onLive(reconnected) once each connection's hello arrived
     */
    constructor(handlers) {
        this.handlers = handlers;
        this.delay = INITIAL_DELAY_MS;
        this.connectedOnce = false;
        this.socket = null;
        this.retryTimer = null;
        this.countdownTimer = null;
    }

    url() {
        const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
        return `${scheme}//${location.host}/ws/errors`;
    }

    connect() {
        clearTimeout(this.retryTimer);
        clearInterval(this.countdownTimer);
        this.handlers.onState(this.connectedOnce ? 'reconnecting' : 'connecting', 'connecting…');
        let socket;
        try {
            socket = new WebSocket(this.url());
        } catch (e) {
            this.scheduleRetry();
            return;
        }
        this.socket = socket;
        socket.addEventListener('open', () => {
            this.delay = INITIAL_DELAY_MS;
        });
        socket.addEventListener('message', message => {
            let frame;
            try {
                frame = JSON.parse(message.data);
            } catch {
                return;
            }
            if (!frame || typeof frame.type !== 'string') return;
            if (frame.type === 'hello') {
                // live from the hello on, not from 'open': only then has the gateway registered this page, so
                // nothing published afterwards can miss it; what came before is fetched over REST
                const reconnected = this.connectedOnce;
                this.connectedOnce = true;
                this.handlers.onState('live', 'live');
                this.handlers.onLive(reconnected);
            }
            this.handlers.onFrame(frame);
        });
        socket.addEventListener('close', event => {
            if (this.socket !== socket) return;
            this.socket = null;
            // 1008: the session was logged out (here or in another tab/browser): back to the login page
            if (event.code === 1008) {
                location.assign('login.html');
                return;
            }
            this.scheduleRetry();
        });
        // an error is always followed by close; nothing to do here
    }

    scheduleRetry() {
        const wait = Math.round(this.delay * (0.8 + Math.random() * 0.4));
        this.delay = Math.min(MAX_DELAY_MS, this.delay * 2);
        const retryAt = Date.now() + wait;
        const showCountdown = () => {
            const seconds = Math.max(0, Math.ceil((retryAt - Date.now()) / 1000));
            this.handlers.onState('reconnecting', `reconnecting in ${seconds}s`);
        };
        showCountdown();
        this.countdownTimer = setInterval(showCountdown, 1000);
        this.retryTimer = setTimeout(() => this.connect(), wait);
    }

    send(object) {
        if (this.socket && this.socket.readyState === WebSocket.OPEN) {
            this.socket.send(JSON.stringify(object));
        }
    }
}
