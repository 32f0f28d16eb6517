"""`quanze serve`: the HTTP API, its OpenAPI document and docs, and the prosecutor's page, on Starlette
and uvicorn (the optional extra `quanze[serve]`).

`versions` holds the lists served (swapped whole on SIGHUP); `app` the routes and the token gate;
`decide` `POST /v1/decide`, ahead of Starlette; `check` the streaming batch endpoint, each decided line
logged; `body` the size limit; `respond` the JSON answers; `errors` the error JSON; `views` the
catalogue's and lists' JSON; `openapi` the document and /docs; `run` uvicorn and the signals;
`static/` the page.
"""
