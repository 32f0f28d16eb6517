"""quanze (权责): the powers-and-responsibilities lists of a people's procuratorate, validated against
the law above them and decided by durable-rules.

The stages are separate modules, as in cedar's parser → validator → authorizer:
`yamlload` / `schemas` / `catalogue` / `lists` read the external form into the internal one
(`model`); `validate` checks it; `situations` answers every question about conditions;
`backend` is the only module that knows durable-rules; `decide` turns fired rules into a `Decision`.
They return data; `present` formats it (every word in zh and en, and every renderer).
"""
from .decision import Decision
from .library import Library, LoadFailure
from .requests import Request, RequestError, parse_request

__all__ = ["Decision", "Library", "LoadFailure", "Request", "RequestError", "parse_request"]
