"""``countersim staff``: the fewest staff per time slot that meet service targets."""
