// The form-login page: the gateway sends failed logins back here with ?error.
if (new URLSearchParams(location.search).has('error')) {
    document.getElementById('login-error').hidden = false;
}
