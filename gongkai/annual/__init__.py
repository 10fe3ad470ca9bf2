"""The annual report from live data: build, edit, the validation gate, versions and publishing."""
