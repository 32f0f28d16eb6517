"""Every word and every renderer: the computing modules return data, these modules format it."""
