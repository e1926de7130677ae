# qa/tools: the project's own pcap generator and helpers.
