"""Operating a deployment: source freshness, failure alerts and `rapport doctor`."""
