"""The mutation tool looks through every live object of the test session for the closures a mutant must
reach; whatever the tests leave behind must not stop it."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from tools.mutate import closures_by_code


def test_a_lazy_object_that_refuses_to_be_read_does_not_stop_the_search_for_closures():
    """django-csp's nonce, once its response is sent, raises when anything reads it (its `__class__`
    included): a page test leaves one behind."""

    def refuse():
        raise RuntimeError("read after the response was sent")

    def parser_factory():
        def parser():
            return nonce

        return parser

    nonce = SimpleLazyObject(refuse)
    parser = parser_factory()
    assert parser in closures_by_code()[id(parser.__code__)]
