"""Other apps' panels on the household page (registry.hooks), rendered in the page's own
context."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def household_panel(context, template_name: str, values: dict):
    """The panel's template with its values on top of the page's context, as `{% include %}`
    renders: the context processors (the menu among them) run once for the page, not again
    for each of its six panels as `render_to_string(..., request=request)` did."""
    panel = context.template.engine.get_template(template_name)
    with context.push(**values):
        return panel.render(context)
