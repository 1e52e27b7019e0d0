with

source as (

    select * from {{ source('shop', 'orders') }}

),

renamed as (

    select
        ----------  ids
        cast(order_id as {{ dbt.type_string() }}) as order_id,
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,

        ----------  text
        lower(trim(cast(status as {{ dbt.type_string() }}))) as status,
        upper(trim(cast(currency as {{ dbt.type_string() }}))) as currency,

        ----------  numerics
        cast(amount as {{ type_money() }}) as amount,
        cast(discount_amount as {{ type_money() }}) as discount_amount,
        cast(shipping_charged as {{ type_money() }}) as shipping_charged,
        cast(shipping_cost as {{ type_money() }}) as shipping_cost,

        ----------  timestamps
        cast(ordered_at as {{ dbt.type_timestamp() }}) as ordered_at,
        cast(delivered_at as {{ dbt.type_timestamp() }}) as delivered_at,
        cast(updated_at as {{ dbt.type_timestamp() }}) as updated_at,
        -- a version without updated_at was produced when the order was placed
        cast(coalesce(updated_at, ordered_at) as {{ dbt.type_timestamp() }}) as version_at,

        ----------  lineage
        cast(_source_file as {{ dbt.type_string() }}) as source_file,
        cast(_source_line as {{ dbt.type_bigint() }}) as source_line

    from source

),

-- one row per version: the same version loaded twice (e.g. a re-sent file), the latest
-- file wins; which version counts on the as-of date is int_orders_as_of's choice
deduped as (

    {{ dedupe_latest_file('renamed', ['order_id', 'version_at']) }}

),

final as (

    select
        order_id,
        customer_id,
        status,
        currency,
        amount,
        discount_amount,
        shipping_charged,
        shipping_cost,
        ordered_at,
        delivered_at,
        updated_at,
        version_at,
        source_file,
        source_line

    from deduped

)

select * from final
