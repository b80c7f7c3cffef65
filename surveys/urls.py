from .views import definitions, loop, research, results, servqual

app_name = "surveys"
urlpatterns = [*results.urls, *loop.urls, *servqual.urls, *definitions.urls, *research.urls]
