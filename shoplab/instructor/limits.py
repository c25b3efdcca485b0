"""Bounds on student code while nbgrader autogrades it.

* time: nbgrader's own per-cell `Execute.timeout` (the kernel is interrupted, the cell fails);
* memory: the kernel process gets an address-space limit (RLIMIT_AS), so a memory hog meets
  a MemoryError in its own cell instead of starving the machine;
* output: each cell keeps at most `max_output_bytes` of printed/displayed output; the rest
  is dropped as it arrives (nbgrader's LimitOutput only trims after the run, when a runaway
  print loop has already filled the grader's memory). Errors and results are always kept,
  and a dropped stream leaves a note on that same stream, so scoring is unchanged.
"""

from __future__ import annotations

import functools
import json
import resource

from jupyter_client.manager import AsyncKernelManager
from nbformat.v4 import new_output
from nbgrader.preprocessors import Execute
from traitlets import Integer

TRUNCATED = "[Shop Lab: output stopped here — this cell printed more than {kb} kB]\n"


def _limit_address_space(limit: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


class LimitedKernelManager(AsyncKernelManager):
    memory_limit = Integer(0, help="Address-space limit of the kernel in bytes (0: none).").tag(
        config=True)

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        if self.memory_limit:
            kw["preexec_fn"] = functools.partial(_limit_address_space, self.memory_limit)
        return await super()._async_launch_kernel(kernel_cmd, **kw)


class BoundedExecute(Execute):
    """nbgrader's Execute, with a memory-limited kernel and a cap on each cell's output."""

    max_output_bytes = Integer(1_000_000, help="Output kept per cell (0: no cap).").tag(
        config=True)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("kernel_manager_class", LimitedKernelManager)
        super().__init__(*args, **kwargs)
        self._output_used: dict[int, int] = {}

    def output(self, outs, msg, display_id, cell_index):
        if not self.max_output_bytes or msg["msg_type"] not in ("stream", "display_data"):
            return super().output(outs, msg, display_id, cell_index)
        used = self._output_used.get(cell_index, 0)
        size = len(json.dumps(msg["content"]))
        self._output_used[cell_index] = used + size
        if used + size <= self.max_output_bytes:
            return super().output(outs, msg, display_id, cell_index)
        name = msg["content"].get("name", "stdout")
        note = TRUNCATED.format(kb=self.max_output_bytes // 1000)
        if not any(o.get("name") == name and o.get("text") == note for o in outs):
            outs.append(new_output("stream", name=name, text=note))
        return None
