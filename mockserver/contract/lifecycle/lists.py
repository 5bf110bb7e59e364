"""The lifecycle checks of a collection's list: ``created_is_listed`` and ``paging_is_truthful``,
and the walk through a list's pages both use (offset, page number or token, as ``engine.paging``
reads them), bounded by the run's ``max_items``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mockserver.contract.lifecycle.outcome import Finding, Skip
from mockserver.contract.lifecycle.pages import declared, ids_of, list_page, page_parameters
from mockserver.contract.lifecycle.steps import Steps, fresh
from mockserver.engine import paging

WALK_PAGE = 2  # the page size paging_is_truthful walks by: several pages from a few items
PAGED_ITEMS = 3  # at least this many items created for it


@dataclass
class Walk:
    ids: list[str] = field(default_factory=list)
    total: Any = None  # what the first page's envelope declares
    pages: int = 0
    complete: bool = True  # False: stopped at max_items


def _bounded(schema: Mapping[str, Any], size: int) -> int:
    if isinstance(schema.get("maximum"), int):
        size = min(size, schema["maximum"])
    if isinstance(schema.get("minimum"), int):
        size = max(size, schema["minimum"])
    return size


def walk(steps: Steps, size: int | None = None) -> Walk:
    """Every page of the list, by ``size`` items (None: as large pages as the list allows)."""
    parameters = page_parameters(steps)
    kinds = [kind for kind in ("offset", "page", "token") if kind in parameters]
    result = Walk()
    if "size" not in parameters or not kinds:
        items, envelope, _ = list_page(steps, {})
        result.ids, result.total, result.pages = ids_of(steps, items), declared(envelope, paging.TOTAL), 1
        return result
    size_schema = parameters["size"].get("schema") or {}
    size = _bounded(size_schema, size if size is not None else min(steps.max_items, 100))
    kind, where = kinds[0], parameters[kinds[0]]
    where_schema = where.get("schema") or {}
    base = 0 if 0 in (where_schema.get("minimum"), where_schema.get("default")) else 1
    query = {parameters["size"]["name"]: str(size)}
    position: int | str | None = 0 if kind == "offset" else base if kind == "page" else None
    for _ in range(steps.max_items // max(size, 1) + 2):
        if position is not None:
            query[where["name"]] = str(position)
        items, envelope, _ = list_page(steps, query)
        result.ids += ids_of(steps, items)
        result.pages += 1
        if result.pages == 1:
            result.total = declared(envelope, paging.TOTAL)
        if len(result.ids) >= steps.max_items:
            result.complete = False
            break
        if kind == "token":
            position = declared(envelope, paging.NEXT)
            if not isinstance(position, str) or not position:
                break
        elif len(items) < size or not items:
            break
        else:
            position = int(position or 0) + (size if kind == "offset" else 1)
    return result


def created_is_listed(steps: Steps) -> None:
    steps.need("create", "list")
    before = walk(steps)
    item_id, _, _ = fresh(steps)
    after = walk(steps)
    if item_id not in after.ids:
        if not after.ids:
            raise Skip(f"the listed items carry no id property {steps.target.collection.id_property!r}")
        if not after.complete:
            raise Skip(f"the list holds more than {steps.max_items} items (--max-items)")
        raise Finding(f"the item just created ({item_id}) is not in the list ({after.pages} pages walked)")
    if isinstance(before.total, int) and isinstance(after.total, int) and after.total != before.total + 1:
        raise Finding(f"the list's total went from {before.total} to {after.total} for one item created")


def paging_is_truthful(steps: Steps) -> None:
    steps.need("create", "list")
    parameters = page_parameters(steps)
    if "size" not in parameters or not {"offset", "page", "token"} & parameters.keys():
        raise Skip("the list declares no page size with an offset, page number or token")
    created = [fresh(steps)[0] for _ in range(max(PAGED_ITEMS, min(steps.max_examples, 5)))]
    walked = walk(steps, WALK_PAGE)
    if not walked.ids:
        raise Skip(f"the listed items carry no id property {steps.target.collection.id_property!r}")
    repeated = [item for item, count in Counter(walked.ids).items() if count > 1]
    if repeated:
        raise Finding(f"walking the list by pages of {WALK_PAGE} visits {', '.join(repeated)} more than once")
    if not walked.complete:
        return
    missing = [item for item in created if item not in walked.ids]
    if missing:
        raise Finding(f"walking every page of the list never visits {', '.join(missing)}, just created")
    if isinstance(walked.total, int) and walked.total != len(walked.ids):
        raise Finding(f"the list declares a total of {walked.total}; its pages hold {len(walked.ids)} items")
