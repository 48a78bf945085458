// REST calls to the gateway (same origin: the session cookie or basic credentials go along).

export class ApiError extends Error {
    constructor(status, message) {
        super(message);
        this.status = status;
    }
}

async function request(method, path) {
    const response = await fetch(path, {
        method,
        credentials: 'same-origin',
        headers: { Accept: 'application/json' }
    });
    // form login answers an unauthenticated call with a redirect to the login page, which fetch follows
    if (response.status === 401 || (response.redirected && new URL(response.url).pathname.endsWith('/login.html'))) {
        redirectToLogin();
        throw new ApiError(401, 'not logged in');
    }
    const text = await response.text();
    let body = null;
    try {
        body = text ? JSON.parse(text) : null;
    } catch {
        body = null;
    }
    if (!response.ok) {
        const reason = body && (body.error || body.message || body.reason);
        throw new ApiError(response.status, reason || `${method} ${path}: HTTP ${response.status}`);
    }
    return body;
}

export const getJson = path => request('GET', path);
export const postJson = path => request('POST', path);

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
