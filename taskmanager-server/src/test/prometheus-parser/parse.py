"""Parses a scrape on stdin with Prometheus's own Python client parser and prints its samples as JSON.

Usage: python3 parse.py text|openmetrics < scrape
Prints [{"family", "type", "name", "labels", "value"}, ...], one entry per sample, values as text
("+Inf", "NaN" included). A scrape the parser refuses exits 1 with its message on stderr.
Run by MetricsEndpointTest with Debian's python3 and python3-prometheus-client (.ci/run installs it).
"""
import json
import math
import sys

from prometheus_client.openmetrics.parser import text_string_to_metric_families as openmetrics_families
from prometheus_client.parser import text_string_to_metric_families as text_families


def text(value):
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return repr(float(value))


def main():
    parse = openmetrics_families if sys.argv[1:] == ["openmetrics"] else text_families
    samples = []
    try:
        for family in parse(sys.stdin.read()):
            for sample in family.samples:
                samples.append({"family": family.name, "type": family.type, "name": sample.name,
                                "labels": dict(sample.labels), "value": text(sample.value)})
    except Exception as e:  # the parser's ValueError, or anything else it trips on
        sys.stderr.write("unparsable scrape: %s: %s\n" % (type(e).__name__, e))
        sys.exit(1)
    json.dump(samples, sys.stdout)


main()
