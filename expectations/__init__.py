"""Great Expectations suites as code (suites/) and the committed GX project config (gx/)."""
