"""The economy section: industrial structure, location quotients, shift-share, the productivity gap."""
