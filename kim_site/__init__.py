"""kim-site: the KIM NRW newcomer site builder (see README.md)."""
