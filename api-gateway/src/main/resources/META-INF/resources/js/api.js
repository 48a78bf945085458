// REST calls to the gateway (same origin: the session cookie or basic credentials go along).

export class ApiError extends Error {
    constructor(status, message) {
        super(message);
        this.status = status;
    }
}

async function request(method, path, body) {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await send(method, path, headers, body);
    // form login answers an unauthenticated call with a redirect to the login page, which fetch follows
    if (response.status === 401 || (response.redirected && new URL(response.url).pathname.endsWith('/login.html'))) {
        redirectToLogin();
        throw new ApiError(401, 'not logged in');
    }
    const text = await response.text();
    let answer = null;
    try {
        answer = text ? JSON.parse(text) : null;
    } catch {
        answer = null;
    }
    if (!response.ok) {
        const reason = answer && (answer.error || answer.message || answer.reason);
        throw new ApiError(response.status, reason || `${method} ${path}: HTTP ${response.status}`);
    }
    return answer;
}

/** The answer js/early-requests.js already asked for this path (once), or a new request. */
function send(method, path, headers, body) {
    const early = method === 'GET' ? window.earlyAnswers?.get(path) : undefined;
    if (early) {
        window.earlyAnswers.delete(path);
        return early;
    }
    return fetch(path, {
        method,
        credentials: 'same-origin',
        headers,
        body: body === undefined ? undefined : JSON.stringify(body)
    });
}

export const getJson = path => request('GET', path);
/** POST, with a JSON body when one is given. */
export const postJson = (path, body) => request('POST', path, body);
export const deleteJson = path => request('DELETE', path);

let redirecting = false;

function redirectToLogin() {
    if (redirecting || location.pathname.endsWith('/login.html')) return;
    redirecting = true;
    location.assign('login.html');
}

/** Unwraps a list answer whether it is a bare array or wrapped in an object under one of the keys. */
export function listOf(body, ...keys) {
    if (Array.isArray(body)) return body;
    for (const key of keys) {
        if (body && Array.isArray(body[key])) return body[key];
    }
    return [];
}
