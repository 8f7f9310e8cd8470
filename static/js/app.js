// CD Coach page behaviour. Loaded with `defer`; no inline scripts anywhere (strict CSP).
"use strict";
