from tests.authz import Case

CASES = [
    Case("api-tokens"),
    # Only the user's own tokens: another's is 404 (tests/api/test_tokens.py). The token
    # posted does not exist here, and the request must still pass the checks to get its 404.
    Case("api-token-revoke", method="post", ok=404, data={"token": "999999"}),
]
