"""Building blocks of the synthetic sample-data generator (see `sample_data.generate`)."""
