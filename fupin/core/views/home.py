from django.shortcuts import render

from fupin.core.access import require
from fupin.core.attention import attention_for
from fupin.core.models import Area


@require()
def home(request):
    user = request.user
    top = Area.objects.for_user(user).order_by("level", "code").first()
    children = Area.objects.children_of(top).order_by("code") if top else []
    return render(
        request,
        "core/home.html",
        {"attention": attention_for(user), "top_area": top, "children": children},
    )
