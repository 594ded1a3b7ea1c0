#!/usr/bin/env python3
import json
print(json.dumps({"all": {"hosts": ["router_b"]}}))
