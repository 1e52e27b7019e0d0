-- One row per customer, dimension and as_of_date on which the customer's value
-- changed from the previous recorded run (e.g. Champions -> At Risk). Entering
-- or leaving a dimension (null, e.g. no longer RFM-scored) counts as a move.
-- "Who moved from Champions to At Risk this week" is one filter on this table.
-- Every period but a person's first starts with such a move, from the period
-- that ends there, so the moves are read off customer_segment_periods (which
-- keeps only runs up to this run's as-of date) instead of the whole history.
with

periods as (

    select * from {{ ref('customer_segment_periods') }}

),

-- a closed period ends where the next one starts (valid_to = its valid_from)
closed as (

    select * from periods
    where valid_to is not null

),

final as (

    select
        periods.customer_id,
        periods.dimension,
        closed.value as from_value,
        periods.value as to_value,
        periods.valid_from as as_of_date,
        closed.last_seen_as_of as from_as_of_date

    from periods
    inner join closed
        on
            periods.customer_id = closed.customer_id
            and periods.dimension = closed.dimension
            and periods.valid_from = closed.valid_to

)

select * from final
