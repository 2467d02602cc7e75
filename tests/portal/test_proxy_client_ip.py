"""Behind nginx every request comes from nginx's address. allauth's per-IP limit on failed
logins ("10/m/ip") must count each visitor (X-Forwarded-For, TRUSTED_PROXY_COUNT=1 in the
stack), or ten wrong guesses by one person lock everybody out for a minute."""

import pytest
from django.core.cache import cache

from tests.csrf import CsrfEnforcingClient

REFUSED = "For mange mislykkede forsøg på at logge ind"


def fail_login(client, address: str, number: int):
    # A different unknown address each time: only the per-IP limit can refuse.
    return client.submit(
        "/konto/login/",
        {"login": f"gaet{number}@example.org", "password": "forkert-kodeord"},
        HTTP_X_FORWARDED_FOR=address,  # what nginx sends: the visitor's address
    ).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("proxies", "other_visitor_refused"), [(1, False), (0, True)])
def test_one_visitors_failed_logins_do_not_lock_out_another(
    home_page, settings, proxies, other_visitor_refused
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = proxies
    cache.clear()  # the limits' counters live in the cache
    guesser, other = CsrfEnforcingClient(), CsrfEnforcingClient()
    for number in range(10):
        assert REFUSED not in fail_login(guesser, "203.0.113.7", number)
    assert REFUSED in fail_login(guesser, "203.0.113.7", 10)

    # Without the proxy count both look like 127.0.0.1 (nginx) and share the limit.
    assert (REFUSED in fail_login(other, "198.51.100.23", 11)) is other_visitor_refused
