"""The demo's password hasher: Argon2 at a fraction of production's cost.

Every demo account has the same published password (README), so hashing it at production cost
protects nothing and costs a fifth of a second per account on every demo build (60 accounts) and
every demo sign-in. The hashes are ordinary Argon2 hashes with their parameters inside: the
production hasher verifies them, and Django rehashes one at production cost (`must_update`) the
first time its account signs in on an installation that is not in demo mode.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class DemoArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 8 * 1024  # KiB
    parallelism = 1

