"""The counter's parts, each built alone; :mod:`sim.model.counter.counter` wires them."""
