"""Policy data: the law as dated, cited YAML records, validated on load.

See ``docs/howto-add-a-rule.md`` for the format and ``nseers policy validate``.
"""

from nseers.rules.policy.store import InForce, Policy, default_policy, load_policy

__all__ = ["InForce", "Policy", "default_policy", "load_policy"]
