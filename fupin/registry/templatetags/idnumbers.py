"""A resident ID number as a page may show it: masked by the one mask (fupin.idnumbers.mask),
and an age where the birth date would give the masked digits back."""

from django import template

from fupin import idnumbers

register = template.Library()


@register.filter
def masked(number: str) -> str:
    return idnumbers.mask(number or "")


@register.filter
def age(born) -> int | None:
    return idnumbers.age(born)
