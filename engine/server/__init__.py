"""`quanze serve`: the HTTP API, its OpenAPI document and docs, and the prosecutor's page, on Starlette
and uvicorn (the optional extra `quanze[serve]`).

`versions` holds the lists served (swapped whole on SIGHUP); `app` the routes and the token gate;
`check` the streaming batch endpoint; `body` the size and nesting limits; `errors` the error JSON;
`views` the catalogue's and lists' JSON; `openapi` the document and /docs; `run` uvicorn and the
signals; `static/` the page.
"""
