"""Extension points other apps fill through Wagtail hooks (in their `wagtail_hooks.py`).

- `NEXT_TRIAL_MEETING`: `fn(network, on: date) -> Page | None`. Return the network's next
  upcoming meeting (on or after `on`) that still has trial places left, or None. The
  meetings app registers one; `network.services.next_trial_meeting` asks each provider
  in registration order and uses the first answer. The trial offer links to
  `meeting.trial_registration_url` when the page has that attribute, else to `meeting.url`.
"""

NEXT_TRIAL_MEETING = "network_next_trial_meeting"
