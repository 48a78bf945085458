// The first load's API calls, sent while the page's modules are still fetched and run: a classic script at the top
// of <head>, so they leave before anything else. api.js takes each answer once, for the same path (see send), so the
// page is ready that much sooner. The paths are those of app.js's first load (loadCore); a path asked for otherwise
// is simply fetched then.
window.earlyAnswers = new Map([
    'api/me',
    'api/errors/health',
    'api/errors/statistics?hours=24',
    'api/errors/timeline?hours=24&bucket_minutes=60',
    'api/errors/recent?limit=100',
    'api/errors/groups?limit=50',
    'api/runs/current'
].map(path => {
    const answer = fetch(path, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    answer.catch(() => {}); // a failure is reported to whoever takes the answer, not as an unhandled rejection
    return [path, answer];
}));
